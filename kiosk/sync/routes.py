"""Where each request of the sync goes: direct, or through the proxy the environment names, on urllib3's pools.

The environment's proxy variables (``http_proxy``, ``https_proxy``, ``all_proxy``, ``no_proxy``) are read once, and
which proxy a URL takes is decided by ``requests``' own functions, once per scheme, host and port.
"""

from __future__ import annotations

import os
import threading
import urllib.request
from typing import Any
from urllib.parse import SplitResult, urlsplit, urlunsplit

import requests.utils
import urllib3
from tuf.api import exceptions
from urllib3.connectionpool import HTTPConnectionPool

from kiosk.sync.direct import default_port

POOLS = 10
"""Connection pools, and connections kept per pool, as ``requests`` sizes them."""


class Routes:
    """The connection pools of one fetcher: direct, or through the proxy the environment names for a URL.

    The environment is read once. Which proxy a URL takes (scheme and host keys, ``all_proxy``, ``no_proxy`` with
    domains, ports and CIDR ranges) is decided by ``requests``' own functions, once per scheme, host and port.
    """

    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers
        self.proxies = urllib.request.getproxies()
        # TLS as requests verifies it: certifi's bundle, or the one REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE names.
        ca = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        self.ca_certs = ca or requests.utils.DEFAULT_CA_BUNDLE_PATH
        self._proxy_of: dict[tuple[str, str | None, int | None], str | None] = {}
        self._managers: dict[str | None, urllib3.PoolManager] = {}
        self._lock = threading.Lock()

    def pool(self, url: str) -> tuple[HTTPConnectionPool, str]:
        """The connection pool for ``url``, and the request target to send it (a path, or the whole URL when an
        HTTP proxy forwards it)."""
        parts = urlsplit(url)
        route = self._proxy_route(url, parts)
        with self._lock:
            manager = self._managers.get(route)
            if manager is None:
                manager = self._managers[route] = self._new_manager(route)
        pool = manager.connection_from_host(parts.hostname, parts.port, parts.scheme)
        if isinstance(manager, urllib3.ProxyManager) and parts.scheme == "http":
            return pool, urlunsplit(parts._replace(fragment=""))
        return pool, urlunsplit(("", "", parts.path or "/", parts.query, ""))

    def direct(self, url: str) -> tuple[str, str, int, str] | None:
        """Scheme, host, port and request target of ``url`` when it is reached without a proxy (and names no user);
        None otherwise."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
            return None
        if self._proxy_route(url, parts) is not None:
            return None
        port = parts.port or default_port(parts.scheme)
        return parts.scheme, parts.hostname, port, urlunsplit(("", "", parts.path or "/", parts.query, ""))

    def _proxy_route(self, url: str, parts: SplitResult) -> str | None:
        """The proxy for ``url`` (None: none), decided once per scheme, host and port."""
        key = (parts.scheme, parts.hostname, parts.port)
        with self._lock:
            if key not in self._proxy_of:
                self._proxy_of[key] = self._proxy_for(url)
            return self._proxy_of[key]

    def _proxy_for(self, url: str) -> str | None:
        if not self.proxies or requests.utils.should_bypass_proxies(url, None):
            return None
        proxy = requests.utils.select_proxy(url, self.proxies)
        if not proxy:
            return None
        return proxy if "://" in proxy else "http://" + proxy  # "host:3128" is an HTTP proxy

    def _new_manager(self, proxy: str | None) -> urllib3.PoolManager:
        pools: dict[str, Any] = {"num_pools": POOLS, "maxsize": POOLS, "block": False, "headers": self.headers}
        pools |= {"cert_reqs": "CERT_REQUIRED", "ca_certs": self.ca_certs}
        if proxy is None:
            return urllib3.PoolManager(**pools)
        user, password = requests.utils.get_auth_from_url(proxy)
        if proxy.lower().startswith("socks"):
            try:
                from urllib3.contrib.socks import SOCKSProxyManager
            except ImportError as err:  # PySocks is not installed (requests says the same)
                raise exceptions.DownloadError(f"the proxy {proxy} needs PySocks (pip install pysocks)") from err
            return SOCKSProxyManager(proxy, user or None, password or None, **pools)
        auth = urllib3.util.make_headers(proxy_basic_auth=f"{user}:{password}") if user else {}
        return urllib3.ProxyManager(proxy, proxy_headers=auth, **pools)

    def close(self) -> None:
        with self._lock:
            managers = list(self._managers.values())
            self._managers.clear()
        for manager in managers:
            manager.clear()


__all__ = ["POOLS", "Routes"]
