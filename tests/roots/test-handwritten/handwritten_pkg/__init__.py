"""A project documented by hand, in plain reST, without napoleon."""
