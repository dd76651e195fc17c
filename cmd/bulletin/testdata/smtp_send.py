#!/usr/bin/env python3
"""Send one e-mail with Python's smtplib, as a real mail client would, and
print what the server answered at each step as JSON.

Usage: smtp_send.py HOST:PORT FROM TO[,TO...] FILE [--size] [--starttls]

--size announces the message's size with MAIL FROM (the SIZE extension),
as smtplib.sendmail does; without it the size is only known from the data.
--starttls upgrades the connection with STARTTLS first (the test server's
certificate is self-signed, so it is not verified).
Output: {"tls": bool, "mail": [code, text], "rcpt": [[code, text], ...],
"data": [code, text]} with the steps not reached left out.
"""
import json
import smtplib
import ssl
import sys


def main():
    hostport, sender, recipients, path = sys.argv[1:5]
    announce = "--size" in sys.argv[5:]
    host, port = hostport.rsplit(":", 1)
    with open(path, "rb") as f:
        msg = f.read()
    out = {}
    with smtplib.SMTP(host, int(port), timeout=30) as s:
        s.ehlo("client.example")
        out["tls"] = False
        if "--starttls" in sys.argv[5:]:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            s.starttls(context=ctx)
            s.ehlo("client.example")
            out["tls"] = True
        opts = ["SIZE=%d" % len(msg)] if announce and s.has_extn("size") else []
        code, text = s.mail(sender, opts)
        out["mail"] = [code, text.decode()]
        if code == 250:
            out["rcpt"] = []
            ok = False
            for r in recipients.split(","):
                code, text = s.rcpt(r)
                out["rcpt"].append([code, text.decode()])
                ok = ok or code == 250
            if ok:
                try:
                    code, text = s.data(msg)
                except smtplib.SMTPDataError as e:
                    code, text = e.smtp_code, e.smtp_error
                out["data"] = [code, text.decode()]
        try:
            s.quit()
        except smtplib.SMTPServerDisconnected:
            pass
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
