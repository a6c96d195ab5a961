import socket
import threading

THREADS = 4
OPS = 10    # requests each thread makes, one at a time

def fetch(n):
    with socket.create_connection(("example.com", 80)) as sock:
        for _ in range(n):
            sock.sendall(b"GET / HTTP/1.0\r\n\r\n")   # GIL released
            reply = sock.recv(4096)      # blocks for the reply, GIL released
            words = len(reply.split())   # a little Python

threads = [threading.Thread(target=fetch, args=(OPS,)) for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
