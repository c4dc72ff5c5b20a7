"""The vendored axe-core is the file its package.json records (version, sha256), with its licence."""

from __future__ import annotations

from tests.browser.axe import AXE_JS, VENDOR, recorded, sha256_of


def test_vendored_axe_matches_its_recorded_hash_and_version():
    meta = recorded()
    assert meta["name"] == "axe-core" and meta["license"] == "MPL-2.0"
    assert sha256_of(AXE_JS) == meta["files"]["axe.min.js"]
    head = AXE_JS.read_text()[:400]
    assert f"axe v{meta['version']}" in head, head[:200]
    assert "Mozilla Public License" in (VENDOR / "LICENSE").read_text()
    assert meta["version"] in (VENDOR / "README.md").read_text()
