import os

# A fake key, for the test.
OPENAI_API_KEY = "sk-proj-FAKEq7Lm2Xv9Rt4Wb8Nc1Zp6Hy3Ks5Jd0GfUa2Ei7Oo4Ir9Tx1Cv3Bn"
