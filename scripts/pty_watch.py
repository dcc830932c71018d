"""Drives `timeline countdown --watch` in a pseudo-terminal of 80x12:
waits for a frame, presses q, and prints what the terminal received and
how the program ended, as JSON. Used by tests/shell.rs.

    pty_watch.py BINARY STORE [FIRST COMMAND_JSON UNTIL]

The first frame is taken as drawn when the terminal shows "more" (the
line under a table cut to the screen), or FIRST when given. With
COMMAND_JSON (a JSON list: a command to run then, such as a `timeline
add` to the same store), waits after it until the terminal shows UNTIL
(or 10 seconds pass) before pressing q."""
import fcntl
import json
import os
import pty
import select
import struct
import sys
import termios
import time

binary, store = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 12, 80, 0, 0))
    os.execv(binary, [binary, "countdown", "--watch", "--store", store])

out = b""


def read_for(seconds, until=None):
    global out
    end = time.time() + seconds
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            out += chunk
            if until and until in out:
                return


first = sys.argv[3].encode() if len(sys.argv) > 3 else b"more"
read_for(10, until=first)
if len(sys.argv) > 5:
    import subprocess

    subprocess.run(json.loads(sys.argv[4]), check=True, capture_output=True)
    seen = len(out)
    until = sys.argv[5].encode()
    end = time.time() + 10
    while until not in out[seen:] and time.time() < end:
        read_for(0.2)
os.write(fd, b"q")
status = None
deadline = time.time() + 10
while time.time() < deadline:
    read_for(0.1)
    done, code = os.waitpid(pid, os.WNOHANG)
    if done:
        status = os.waitstatus_to_exitcode(code)
        break
if status is None:
    os.kill(pid, 9)
read_for(0.2)
print(json.dumps({"status": status, "output": out.decode("utf-8", "replace")}))
