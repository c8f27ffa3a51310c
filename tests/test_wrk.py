"""The wrk load client: its report read right, its own cost measured, a real run."""

import http.server
import threading

import pytest

from webcutter import wrk

REPORT = """Running 2s test @ http://127.0.0.1:8000/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.52ms  310.20us   9.87ms   90.12%
    Req/Sec     5.21k   120.33     5.40k    71.00%
  Latency Distribution
     50%    1.48ms
     75%    1.60ms
     90%    1.79ms
     99%    2.61ms
  10382 requests in 2.00s, 1.46MB read
  Socket errors: connect 0, read 3, write 0, timeout 1
  Non-2xx or 3xx responses: 5
Requests/sec:   5190.12
Transfer/sec:    746.77KB
"""


def test_the_report_is_read():
    requests, seconds, errors, p50, p99 = wrk.parse(REPORT)
    assert (requests, seconds, errors) == (10382, 2.0, 9)
    assert p50 == pytest.approx(0.00148) and p99 == pytest.approx(0.00261)


def test_a_report_without_a_summary_is_an_error():
    with pytest.raises(RuntimeError, match="no summary"):
        wrk.parse("unable to connect to 127.0.0.1:1 Connection refused")


def test_the_clients_capacity_comes_from_its_cpu_time():
    result = wrk.WrkResult(10_000, 2.0, 0, 0.001, 0.002, client_cpu_s=0.5)
    assert result.rps == 5000 and result.client_capacity_rps == 20_000
    assert result.client_busy == 0.25  # a quarter of its core for those two seconds
    assert result.as_dict()["client"] == "wrk"


class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the standard library's name
        body = b"hello" if self.headers.get("X-Test") == "yes" else b"no header"
        self.send_response(200 if body == b"hello" else 500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.skipif(not wrk.find(), reason="wrk is not installed (apt-get install wrk)")
def test_a_real_run_counts_requests_errors_and_its_own_cost():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        good = wrk.run(url, 1, connections=2, headers={"X-Test": "yes"})
        assert good.requests > 10 and good.errors == 0 and good.client_cpu_s > 0
        bad = wrk.run(url, 1, connections=2)
        assert bad.errors == bad.requests > 0
    finally:
        server.shutdown()
