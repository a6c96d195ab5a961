import threading

balance = 0
lock = threading.Lock()

def deposit(times):
    global balance
    for _ in range(times):
        with lock:
            balance += 1

threads = [threading.Thread(target=deposit, args=(10_000,), name=f"teller-{i}") for i in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("balance", balance)
