import subprocess
subprocess.run(a, shell=True)  # nosec B602 fixed command
# aiops: ignore[test.shell-true] reviewed
subprocess.run(b, shell=True)
s = "# nosec"; subprocess.run(c, shell=True)
x = 1  # aiops: ignore[test.other]
