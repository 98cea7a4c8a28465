"""The floor of bench/burst_bench.py: a bare Django view doing one INSERT, served like `gandang serve`."""
