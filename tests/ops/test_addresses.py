"""The client's address, through the trusted proxies only (``cms.ops.addresses``)."""


def test_client_address_is_the_peer_without_proxies(rf, settings):
    from cms.ops.addresses import client_address

    settings.TRUSTED_PROXIES = []
    request = rf.get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "192.0.2.7"
    settings.TRUSTED_PROXIES = ["192.0.2.0/24"]
    assert client_address(request) == "1.2.3.4"
