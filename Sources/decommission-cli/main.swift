print("decommission: under construction")
