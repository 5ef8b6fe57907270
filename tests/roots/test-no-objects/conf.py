project = "no objects"
extensions = ["sphinxcontrib_aidoc"]
