import asyncio

async def worker():
    print("Worker coroutine is running...")

# create the event loop
loop = asyncio.get_event_loop()

# run the event loop
loop.run_until_complete(worker())
