"""Whom a server believes about its clients (web/security.py applies it): the proxies
whose forwarding headers it reads, and whether the site is served over HTTPS whatever the
connection says. `charter serve --trusted-proxy/--https` set them through the environment
(`CHARTER_TRUSTED_PROXIES`, `CHARTER_HTTPS`), which every server process reads."""

from __future__ import annotations

import ipaddress
import os

import msgspec

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class Settings(msgspec.Struct, frozen=True):
    """Who the server believes: the proxies whose forwarding headers it reads, and whether
    the site is served over HTTPS whatever the connection says."""

    trusted_proxies: tuple[Network, ...] = ()
    https: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        """`CHARTER_TRUSTED_PROXIES` (addresses or networks, comma-separated) and
        `CHARTER_HTTPS` (1, true or yes)."""
        return cls(
            parse_networks(os.environ.get("CHARTER_TRUSTED_PROXIES", "")),
            os.environ.get("CHARTER_HTTPS", "").strip().lower() in ("1", "true", "yes"),
        )

    def trusts(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in self.trusted_proxies)


def parse_networks(text: str) -> tuple[Network, ...]:
    """`10.0.0.1, 192.168.0.0/16, ::1` as networks; a mistake is a ValueError naming it."""
    out = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            try:
                out.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise ValueError(f"{part!r} is not an IP address or network") from None
    return tuple(out)
