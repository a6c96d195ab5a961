import asyncio
import socket

async def worker():
    # 创建TCP/IP套接字
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

    # 连接服务器
    server_address = ('localhost', 10000)
    sock.connect(server_address)

    try:
        # 发送数据
        message = b"Hello, World!"
        sock.sendall(message)

        # 接收数据
        amount_received = 0
        amount_expected = len(message)

        while amount_received < amount_expected:
            data = sock.recv(16)
            amount_received += len(data)

        # 关闭连接
        sock.close()

        print("Received", amount_received, "out of", amount_expected, "bytes")

    finally:
        # 关闭套接字
        sock.close()

# 创建事件循环
loop = asyncio.get_event_loop()

# 运行事件循环
loop.run_until_complete(worker())
