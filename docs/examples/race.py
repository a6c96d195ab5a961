# Four threads add one to a shared counter a million times each.
import threading

N = 1_000_000
counter = 0

def work():
    global counter
    for _ in range(N):
        counter += 1

threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"counter = {counter}, expected {4 * N}")
