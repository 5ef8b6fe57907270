from ctx_pkg.geometry import Grid, total_area


def test_total_area():
    assert total_area(Grid(2), 3) == 12
