"""The client's address, through the trusted proxies only (``cms.ops.addresses``)."""


def test_client_address_is_the_peer_without_proxies(rf, settings):
    from cms.ops.addresses import client_address

    settings.TRUSTED_PROXIES = []
    request = rf.get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "192.0.2.7"
    settings.TRUSTED_PROXIES = ["192.0.2.0/24"]
    assert client_address(request) == "1.2.3.4"


def test_a_forwarded_hop_with_a_port_is_its_address(rf, settings):
    """Some proxies add the client's port; each port was its own "client" (a fresh counter
    per request for the sign-in throttle, and on PostgreSQL not an address at all)."""
    from cms.ops.addresses import client_address

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for forwarded, expected in [
        ("203.0.113.9:40000", "203.0.113.9"),
        ("[2001:db8::1]:40000", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("203.0.113.9, 10.0.0.7:1234", "203.0.113.9"),
    ]:
        request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
        assert client_address(request) == expected, forwarded


def test_a_forwarded_hop_that_is_no_address_stops_at_the_last_trusted_proxy(rf, settings):
    from cms.ops.addresses import client_address

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for junk in ("unknown", "junk0", "[nope]:1", "::1::2"):
        request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.1, {junk}")
        assert client_address(request) == "10.0.0.2", junk
