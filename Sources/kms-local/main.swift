print("kms-local: under construction")
