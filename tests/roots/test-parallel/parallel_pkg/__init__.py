"""Eight modules, one page each, for -j builds."""
