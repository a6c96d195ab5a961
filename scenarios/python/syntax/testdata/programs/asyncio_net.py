import asyncio
import socket

HOST, PORT = "localhost", 10000
LIMIT = asyncio.Semaphore(5)


async def fetch(host: str, port: int, message: bytes, *, timeout: float = 1.0) -> bytes:
    async with LIMIT:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        try:
            writer.write(message)
            await writer.drain()
            data = await reader.read(100)  # gilsim: 250ms
        finally:
            writer.close()
            await writer.wait_closed()
    return data


async def handle(reader, writer):
    data = await reader.read(100)
    addr = writer.get_extra_info("peername")
    print(f"收到 {data.decode()!r} 来自 {addr}")
    writer.write(data)
    await writer.drain()
    writer.close()


class Ticks:
    def __init__(self, n):
        self.i, self.n = 0, n

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        await asyncio.sleep(0.1)
        return self.i


async def ticker(n):
    async for tick in Ticks(n):
        print("tick", tick)


async def main():
    server = await asyncio.start_server(handle, HOST, PORT)
    async with server:
        tasks = [asyncio.create_task(fetch(HOST, PORT, f"hello {i}".encode())) for i in range(10)]
        try:
            replies = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=5)
        except asyncio.TimeoutError as exc:
            raise RuntimeError("too slow") from exc
        except (ConnectionError, OSError):
            replies = []
        else:
            ok = [r for r in replies if not isinstance(r, Exception)]
            print(len(ok), "replies;", len(replies) - len(ok), "errors")
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    await loop.run_in_executor(None, sock.close)


asyncio.run(main())
