import multiprocessing
import socket

CPU_PROCESSES = 1   # CPU-bound processes beside the client
REQUESTS = 100      # round trips, one at a time

def spin():                   # CPU-bound and endless: a daemon process
    n = 0
    while True:
        n += 1

def main():
    for _ in range(CPU_PROCESSES):
        multiprocessing.Process(target=spin, daemon=True).start()
    # an echo server in another process answers each message
    sock = socket.create_connection(("localhost", 25000))
    for _ in range(REQUESTS):     # one round trip at a time
        sock.send(b"ping")        # short blocking I/O
        data = sock.recv(16)      # waits for the echo

if __name__ == "__main__":
    main()
