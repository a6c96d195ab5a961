import asyncio
import socket

CLIENTS = 3         # added: several clients at once
DELAY = 0.25        # added: the server takes DELAY seconds to answer
BEAT = DELAY / 5    # added: heartbeats BEAT seconds apart, within one wait

async def worker():
    # create a TCP/IP socket
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

    # connect to the server
    server_address = ('localhost', 10000)
    sock.connect(server_address)        # blocks the whole loop

    try:
        # send data
        message = b"Hello, World!"
        sock.sendall(message)           # blocks the whole loop

        # receive data
        amount_received = 0
        amount_expected = len(message)

        while amount_received < amount_expected:
            data = sock.recv(16)        # blocks the loop until the answer
            amount_received += len(data)

        # close the connection
        sock.close()

        print("Received", amount_received, "out of", amount_expected, "bytes")

    finally:
        # close the socket
        sock.close()

async def heartbeat(n):     # added: due n × BEAT after the start
    await asyncio.sleep(n * BEAT)
    print("heartbeat", n)

async def main():           # added: everything at once
    await asyncio.gather(*(heartbeat(n) for n in range(1, 5)),
                         *(worker() for _ in range(CLIENTS)))

# create the event loop
loop = asyncio.get_event_loop()

# run the event loop
loop.run_until_complete(main())
