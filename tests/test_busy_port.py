"""``musenor serve`` and ``musenor demo`` on a port already in use: told at once, before any harvest or
catalogue work, naming the port and the reason, with a non-zero exit and no traceback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from musenor.cli import EXIT_CONFIG, main
from musenor.oai_server.wsgi import PortUnavailable, bind, bound_port
from test_cli import CONFIG


@pytest.fixture
def held_port() -> Iterator[int]:
    """A port this test holds: bound and listening on 127.0.0.1, port picked by the OS."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        yield holder.getsockname()[1]


def test_bind_refuses_a_held_port_naming_it_and_why(held_port):
    with pytest.raises(PortUnavailable) as refused:
        bind("127.0.0.1", held_port)
    assert refused.value.port == held_port
    assert str(refused.value).startswith(f"cannot serve on 127.0.0.1:{held_port}: the port is already in use")


def test_bind_to_port_zero_reads_back_the_port_the_os_picked():
    sock = bind("127.0.0.1", 0)
    try:
        port = bound_port(sock)
        assert port > 0
        with pytest.raises(PortUnavailable):
            bind("127.0.0.1", port)  # the socket is listening, so the port is ours
    finally:
        sock.close()


def test_bind_to_an_address_this_machine_lacks_says_so():
    with pytest.raises(PortUnavailable) as refused:
        bind("192.0.2.1", 0)  # TEST-NET-1 (RFC 5737): never a local address
    assert "no such address" in refused.value.reason


def test_serve_on_a_held_port_exits_before_opening_the_catalogue(tmp_path: Path, held_port):
    config = tmp_path / "musenor.toml"
    config.write_text(CONFIG, encoding="utf-8")  # data_dir = "var", beside the file
    result = CliRunner().invoke(main, ["--config", str(config), "serve", "--port", str(held_port)])
    assert result.exit_code == EXIT_CONFIG
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"cannot serve on 127.0.0.1:{held_port}: the port is already in use" in result.output
    assert "Musenor hub on" not in result.output
    assert not (tmp_path / "var").exists()  # nothing was opened, let alone harvested


def test_demo_on_a_held_port_exits_before_harvesting(tmp_path: Path, held_port):
    data_dir = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--port", str(held_port), "--data-dir", str(data_dir)])
    assert result.exit_code == EXIT_CONFIG
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"cannot serve on 127.0.0.1:{held_port}: the port is already in use" in result.output
    assert "Harvest runs" not in result.output and "Musenor hub on" not in result.output
    assert not data_dir.exists()
