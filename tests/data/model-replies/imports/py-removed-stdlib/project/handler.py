import cgi
import imghdr
import os
import telnetlib


def handle():
    form = cgi.FieldStorage()
    upload = form["file"]
    kind = imghdr.what(None, h=upload.value)
    with telnetlib.Telnet(os.environ["DEVICE_HOST"], 23) as session:
        session.write(kind.encode() + b"\n")
