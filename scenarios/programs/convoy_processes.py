import multiprocessing
import socket

CPU_PROCESSES = 1   # CPU-bound processes beside the server
REQUESTS = 100      # round trips the server serves

def spin():                   # CPU-bound and endless: a daemon process
    n = 0
    while True:
        n += 1

if __name__ == "__main__":
    for _ in range(CPU_PROCESSES):
        multiprocessing.Process(target=spin, daemon=True).start()

    server = socket.create_server(("localhost", 25000))
    conn, _ = server.accept()
    # recv and send release the GIL while they block
    for _ in range(REQUESTS):     # one client, one request at a time
        data = conn.recv(16)      # waits for the client's message
        reply = data.upper()      # a little Python
        conn.send(reply)          # short blocking I/O
