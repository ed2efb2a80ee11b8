"""Pure figure builders: data in, plotly figure dict out. No Dash, no I/O."""
