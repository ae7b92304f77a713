"""train_utils.reuse_freed_memory: big tensors reuse freed memory instead of faulting in new pages."""
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # part2-pytorch/

# Allocates and fills a 64 MB tensor 5 times (above glibc's 32 MB ceiling for keeping
# freed blocks) and prints the page faults those 5 made, after 3 untimed rounds.
CHILD = """
import resource, sys
import torch
import train_utils
if sys.argv[1] == "keep":
    assert train_utils.reuse_freed_memory()
def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(3):
    torch.empty(64 * 2**20, dtype=torch.uint8).fill_(1)
before = faults()
for _ in range(5):
    torch.empty(64 * 2**20, dtype=torch.uint8).fill_(1)
print(faults() - before)
"""


def page_faults(mode):
    out = subprocess.run([sys.executable, "-c", CHILD, mode], cwd=HERE, capture_output=True, text=True,
                         timeout=300, env=dict(os.environ, OMP_NUM_THREADS="1"))
    if out.returncode:
        raise AssertionError(out.stderr)
    return int(out.stdout.split()[-1])


@unittest.skipUnless(sys.platform.startswith("linux"), "glibc's malloc: Linux only")
class TestReuseFreedMemory(unittest.TestCase):
    def test_page_faults(self):
        # 5 x 64 MB of fresh 4 kB pages is 81,920 faults (fewer with huge pages); kept memory
        # makes none. Both directions, so the test fails if the setting stops working.
        self.assertGreater(page_faults("default"), 40000)
        self.assertLess(page_faults("keep"), 2000)  # under one allocation's 16,384 pages


if __name__ == "__main__":
    unittest.main()
