import subprocess
import sys

PROBE = """
from models.memory import peak_rss_mib
before = peak_rss_mib()
block = bytearray(128 * 2**20)
for i in range(0, len(block), 4096):
    block[i] = 1
during = peak_rss_mib()
del block
print(before, during, peak_rss_mib())
"""


def test_peak_memory_follows_this_process_and_never_falls() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    before, during, after = map(float, out.split())
    assert during >= before + 120  # the 128 MiB block is counted
    assert after >= during - 2  # a high-water mark (the kernel syncs its counters lazily)
    assert before < 120  # a fresh interpreter, not the size of the pytest process that started it
