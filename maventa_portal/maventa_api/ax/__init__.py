"""AutoXChange (AX): one module per area, named as Maventa names it."""
