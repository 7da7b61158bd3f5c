import subprocess as sp
from subprocess import run

def Popen(c, shell):
    return c

sp.Popen(cmd, shell=True)
run(cmd, shell=1)
run(cmd, shell=False)
Popen(cmd, shell=True)
