import asyncio

async def fetch(n):
    reader, writer = await asyncio.open_connection("localhost", 8000)
    writer.write(f"GET {n}".encode())
    await writer.drain()
    data = await reader.read(100)
    writer.close()
    await writer.wait_closed()
    return len(data)

async def main():
    sizes = await asyncio.gather(*[fetch(i) for i in range(3)])
    print("sizes", sizes)
    try:
        await asyncio.wait_for(asyncio.sleep(1), timeout=0.1)
    except asyncio.TimeoutError:
        print("timed out")
    t = asyncio.create_task(fetch(9))
    print("fetched", await t)

asyncio.run(main())
