SYSTEM = "be brief"
