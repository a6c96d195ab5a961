import asyncio

async def worker():
    print("Worker coroutine is running...")

# 创建事件循环
loop = asyncio.get_event_loop()

# 运行事件循环
loop.run_until_complete(worker())
