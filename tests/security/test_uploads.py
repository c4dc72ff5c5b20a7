"""Uploads that cannot become pages: every profile photo is decoded and written again by us,
stored under a name we choose, and served only as an image; anything we cannot decode as a
plain image is refused with a field error.

Each test goes through the real HTTP interface: upload on the profile page, then fetch the
file the page links to, as a stranger would.
"""

from __future__ import annotations

import io
import random
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from parsoc.web.accounts.models import User

pytestmark = pytest.mark.django_db

SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=kind, **options)
    return out.getvalue()


def picture(size=(64, 48), mode="RGB") -> Image.Image:
    """Noise, so that every part of the encoded file carries pixels (a cut anywhere loses some)."""
    return Image.frombytes(mode, size, random.Random(7).randbytes(size[0] * size[1] * len(mode)))


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side: int = 50000) -> bytes:
    """A complete, valid 1-bit PNG of side × side pixels: a few hundred KB that decode to 300 MB."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + side // 8)
    body = b"".join(compressor.compress(row * 1000) for _ in range(side // 1000)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", body) + png_chunk(b"IEND", b"")


def animated_gif() -> bytes:
    frames = [Image.new("P", (30, 20), color) for color in (1, 2, 3)]
    return encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (55.0, 51.0, 0.0)}  # GPS
    return encoded(picture(), "JPEG", exif=exif.tobytes(), comment=b"where I live")


def upload(client: Client, name: str, content: bytes, **fields):
    return client.post("/accounts/profile/", {
        "display_name": fields.pop("display_name", "Uploader"), "photo": SimpleUploadedFile(name, content), **fields})


def served(client: Client, url: str):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


# --- accepted: written again by us, served as an image under our name -------------------------


@pytest.mark.parametrize(("name", "content"), [
    ("p.html", encoded(picture(), "PNG")),  # a real PNG named as a page
    ("cat.gif.html", animated_gif()),  # a real animated GIF named as a page
    ("me.svg", encoded(picture(), "JPEG")),  # a real JPEG named as SVG
    ("alpha.png", encoded(picture(mode="RGBA"), "PNG")),
    ("photo.webp", encoded(picture(), "WEBP")),
    ("gps.jpg", jpeg_with_gps()),
    ("deep.png", encoded(Image.new("I;16", (40, 30), 40000), "PNG")),
    ("print.jpg", encoded(Image.new("CMYK", (40, 30), (0, 200, 100, 10)), "JPEG")),
    ("noext", encoded(picture(), "PNG")),
])
def test_an_image_is_stored_under_our_name_and_served_only_as_an_image(make_user, client_as, name, content):
    user = make_user("Uploader")
    response = upload(client_as(user), name, content)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    user.refresh_from_db()
    stored = user.photo.name
    assert re.fullmatch(r"photos/[A-Za-z0-9_-]{24}\.(png|jpg)", stored), stored
    assert name not in stored and not stored.endswith((".html", ".svg", ".gif", ".webp"))

    # a stranger follows the link on the person's public page
    page = Client().get(f"/accounts/people/{user.pk}/").content.decode()
    url = re.search(r'<img class="avatar large" src="([^"]+)"', page).group(1)
    assert url.endswith(stored)
    fetched, body = served(Client(), url)
    assert fetched.status_code == 200
    kind = fetched["Content-Type"]
    assert kind in ("image/png", "image/jpeg")
    assert fetched["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in fetched["Content-Security-Policy"] and "default-src 'none'" in fetched["Content-Security-Policy"]
    assert fetched["Content-Disposition"].startswith("inline")
    with Image.open(io.BytesIO(body)) as image:
        assert image.format == {"image/png": "PNG", "image/jpeg": "JPEG"}[kind]
        assert stored.endswith({"PNG": ".png", "JPEG": ".jpg"}[image.format])
        image.load()
        assert image.mode in ("RGB", "RGBA") and not getattr(image, "is_animated", False)
        assert "exif" not in image.info and "icc_profile" not in image.info and "comment" not in image.info
    assert b"SecretCam" not in body and b"where I live" not in body


def test_transparency_is_kept_as_png_and_opaque_images_become_jpeg(make_user, client_as):
    user = make_user()
    client = client_as(user)
    upload(client, "a.png", encoded(picture(mode="RGBA"), "PNG"))
    user.refresh_from_db()
    assert user.photo.name.endswith(".png")
    upload(client, "b.png", encoded(picture(mode="RGB"), "PNG"))
    user.refresh_from_db()
    assert user.photo.name.endswith(".jpg")


def test_a_large_photo_is_kept_at_most_1024_pixels_on_its_longer_side(make_user, client_as):
    user = make_user()
    upload(client_as(user), "big.jpg", encoded(Image.new("RGB", (3000, 2000), (10, 120, 30)), "JPEG"))
    user.refresh_from_db()
    with Image.open(user.photo.path) as image:
        assert image.size == (1024, 683)


def test_the_old_photo_file_is_removed_when_a_new_one_is_uploaded(make_user, client_as, media_root):
    user = make_user()
    client = client_as(user)
    upload(client, "a.png", encoded(picture(), "PNG"))
    upload(client, "b.png", encoded(picture(), "PNG"))
    user.refresh_from_db()
    assert [p.name for p in (media_root / "photos").iterdir()] == [user.photo.name.removeprefix("photos/")]


# --- refused: a field error, nothing stored ---------------------------------------------------


def half(image_bytes: bytes) -> bytes:
    return image_bytes[: len(image_bytes) // 2]


def tail(image_bytes: bytes) -> bytes:
    return image_bytes + SCRIPT


UNREADABLE = "not an image we can read|damaged or incomplete"
REFUSED = [
    ("html with PNG magic", "p.png", b"\x89PNG\r\n\x1a\n" + SCRIPT, UNREADABLE),
    ("html with GIF magic", "g.gif", b"GIF89a" + SCRIPT, UNREADABLE),
    ("pdf with JPEG magic", "d.jpg", b"\xff\xd8\xff\xe0%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", UNREADABLE),
    ("svg", "v.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
     UNREADABLE),
    ("svg named png", "v.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', UNREADABLE),
    ("html page", "p.html", SCRIPT, UNREADABLE),
    ("PNG with an HTML tail", "t.png", tail(encoded(picture(), "PNG")), "other data after the image"),
    ("GIF with an HTML tail", "t.gif", tail(encoded(picture(), "GIF")) + b";", "other data after the image"),
    ("JPEG with an HTML tail", "t.jpg", tail(encoded(picture(), "JPEG")), "other data after the image"),
    ("WebP with an HTML tail", "t.webp", tail(encoded(picture(), "WEBP")), "other data after the image"),
    ("truncated PNG", "cut.png", half(encoded(picture(), "PNG")), UNREADABLE),
    ("truncated JPEG", "cut.jpg", half(encoded(picture(), "JPEG")), UNREADABLE),
    ("truncated GIF", "cut.gif", half(encoded(picture(), "GIF")), UNREADABLE),
    ("truncated WebP", "cut.webp", half(encoded(picture(), "WEBP")), UNREADABLE),
    ("PNG without its end", "end.png", encoded(picture(), "PNG")[:-12], "not a well-formed image"),
    ("BMP", "x.bmp", encoded(picture(), "BMP"), "not accepted"),
    ("TIFF", "x.tif", encoded(picture(), "TIFF"), "not accepted"),
    ("too wide", "wide.png", encoded(Image.new("1", (5000, 10)), "PNG"), "limit is 4096 × 4096"),
    ("too many bytes", "huge.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 10), "the limit is 2048 KB"),
    ("empty", "empty.png", b"", "empty"),
]


@pytest.mark.parametrize(("name", "content", "message"), [case[1:] for case in REFUSED],
                         ids=[case[0] for case in REFUSED])
def test_anything_that_is_not_a_plain_image_is_refused_with_a_field_error(make_user, client_as, media_root,
                                                                          name, content, message):
    user = make_user("Keeps Name")
    response = upload(client_as(user), name, content, display_name="Changed")
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["photo"])
    assert re.search(message, errors), errors
    user.refresh_from_db()
    assert user.display_name == "Keeps Name" and not user.photo  # nothing half-written
    assert not (media_root / "photos").exists() or not any((media_root / "photos").iterdir())


def test_a_decompression_bomb_is_refused_before_it_is_decoded(make_user, client_as):
    bomb = png_bomb()
    assert len(bomb) < 2 * 1024 * 1024  # small on the wire: only the header check stops it
    user = make_user()
    response = upload(client_as(user), "bomb.png", bomb)
    assert response.status_code == 400
    assert "too large in pixels" in " ".join(response.context["form"].errors["photo"])
    user.refresh_from_db()
    assert not user.photo


def test_a_bomb_under_pillows_own_limit_is_refused_by_ours(make_user, client_as):
    bomb = png_bomb(8000)  # 64 M pixels: under Pillow's refusal, over ours
    response = upload(client_as(make_user()), "bomb.png", bomb)
    assert response.status_code == 400
    assert "8000 × 8000 pixels" in " ".join(response.context["form"].errors["photo"])


# --- who may upload, and how other files are served -------------------------------------------


def test_anonymous_cannot_upload(media_root):
    response = Client().post("/accounts/profile/", {
        "display_name": "X", "photo": SimpleUploadedFile("p.png", encoded(picture(), "PNG"))})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not (media_root / "photos").exists()


def test_a_person_can_only_change_their_own_photo(council_world, client_as):
    client = client_as(council_world.outsider)
    upload(client, "p.png", encoded(picture(), "PNG"), display_name="Oz Outsider")
    council_world.member.refresh_from_db()
    assert not council_world.member.photo
    assert User.objects.exclude(photo="").get() == council_world.outsider


def test_a_file_with_a_name_we_did_not_choose_is_served_as_a_download(media_root):
    (media_root / "photos").mkdir(parents=True)
    (media_root / "photos" / "old.html").write_bytes(SCRIPT)  # as stored by an earlier version
    (media_root / "photos" / "old.svg").write_bytes(b"<svg onload='alert(1)'/>")
    for name in ("old.html", "old.svg"):
        response, _ = served(Client(), f"/media/photos/{name}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/media/../settings.py", "/media/%2e%2e/secret_key", "/media/photos/",
                                  "/media/photos/missing.png"])
def test_media_paths_outside_the_uploads_or_missing_are_not_served(media_root, path):
    (media_root / "photos").mkdir(parents=True)
    assert Client().get(path).status_code in (400, 404)  # 400: a path that leaves MEDIA_ROOT


def test_media_answers_only_reads(media_root):
    (media_root / "photos").mkdir(parents=True)
    (media_root / "photos" / "a.png").write_bytes(encoded(picture(), "PNG"))
    assert Client().post("/media/photos/a.png").status_code in (403, 405)  # CSRF or method refused
    assert Client(enforce_csrf_checks=False).head("/media/photos/a.png").status_code == 200


def test_photos_stored_by_earlier_versions_are_rewritten_or_removed(make_user, media_root):
    """Migration accounts.0003 puts every stored photo through the same re-encoding."""
    from parsoc.web.accounts.photos import rewrite_stored

    (media_root / "photos").mkdir(parents=True)
    legacy = {
        "photos/1-aaaa.html": encoded(picture(), "PNG"),  # a real image under a page's name
        "photos/2-bbbb.png": tail(encoded(picture(), "PNG")),  # with a script after it
        "photos/3-cccc.png": SCRIPT,  # not an image at all
        "photos/4-dddd.jpg": None,  # the file is gone
    }
    people = []
    for name, content in legacy.items():
        if content is not None:
            (media_root / name).write_bytes(content)
        people.append(make_user(photo=name))
    current = make_user()
    upload_client = Client()
    upload_client.force_login(current, backend="django.contrib.auth.backends.ModelBackend")
    upload(upload_client, "now.png", encoded(picture(), "PNG"))
    current.refresh_from_db()
    kept = current.photo.name

    assert rewrite_stored(User.objects.all()) == (1, 3)
    for person in people:
        person.refresh_from_db()
    assert re.fullmatch(r"photos/[A-Za-z0-9_-]{24}\.jpg", people[0].photo.name)
    assert [bool(p.photo) for p in people] == [True, False, False, False]
    current.refresh_from_db()
    assert current.photo.name == kept  # written by us already: left alone
    assert sorted(p.name for p in (media_root / "photos").iterdir()) == sorted(
        [people[0].photo.name.removeprefix("photos/"), kept.removeprefix("photos/")])
    response, body = served(Client(), "/media/" + people[0].photo.name)
    assert response["Content-Type"] == "image/jpeg" and Image.open(io.BytesIO(body)).format == "JPEG"
