"""What an uploaded photo must be (service/photos.py): decoded, not trusted by name; re-encoded without
metadata; refused with a clear reason when too big, too many pixels or not JPEG/PNG."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from auction.errors import BadRequest
from service import photos


def _image(fmt: str, size=(32, 24), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, fmt, **save)
    return out.getvalue()


def test_a_png_stays_a_png_and_a_jpeg_a_jpeg_with_their_size():
    for fmt, mime in (("PNG", "image/png"), ("JPEG", "image/jpeg")):
        content, content_type, width, height = photos.clean(_image(fmt))
        assert (content_type, width, height) == (mime, 32, 24)
        assert Image.open(io.BytesIO(content)).format == fmt


def test_the_comment_and_exif_a_camera_writes_are_dropped():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    content, *_ = photos.clean(_image("JPEG", exif=exif, comment=b"home of the debtor"))
    img = Image.open(io.BytesIO(content))
    assert not img.getexif() and "comment" not in img.info
    from PIL.PngImagePlugin import PngInfo
    text = PngInfo()
    text.add_text("Location", "43.25 N, 76.95 E")
    content, *_ = photos.clean(_image("PNG", pnginfo=text))
    assert "Location" not in Image.open(io.BytesIO(content)).info


@pytest.mark.parametrize("data, words", [
    (b"\xff" * (photos.MAX_BYTES + 1), "at most 8 MB"),
    (b"", "choose a photo"),
    (b"GIF89a not really", "not a readable JPEG or PNG photo"),
    (_image("GIF"), "not GIF"),
    (_image("JPEG")[:200], "not a readable JPEG or PNG photo"),  # cut short
])
def test_what_is_not_a_usable_photo_is_refused_with_the_reason(data, words):
    with pytest.raises(BadRequest, match=words) as refused:
        photos.clean(data)
    assert refused.value.code == "bad_photo"


def test_a_photo_of_too_many_pixels_is_refused_from_its_header_before_decoding():
    wide = _image("PNG", size=(8000, 6000))  # 48 megapixels of one colour: small as a file
    assert len(wide) < photos.MAX_BYTES
    with pytest.raises(BadRequest, match="8000×6000; at most 40 megapixels"):
        photos.clean(wide)


def test_a_phone_photo_taken_sideways_is_stored_upright():
    img = Image.new("RGB", (40, 20), (0, 0, 0))
    img.paste((255, 255, 255), (0, 0, 10, 20))  # a white band on the left of the sensor image
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    content, _type, width, height = photos.clean(out.getvalue())
    stored = Image.open(io.BytesIO(content))
    assert (width, height) == stored.size == (20, 40) and not stored.getexif()
    assert sum(stored.getpixel((10, 3))) > 600  # the white band is now at the top


def test_a_colour_profile_and_transparency_are_kept():
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(out, "JPEG", icc_profile=b"\0" * 128 + b"fake profile")
    assert (Image.open(io.BytesIO(photos.clean(out.getvalue())[0])).info.get("icc_profile", b"")
            .endswith(b"fake profile"))
    out = io.BytesIO()
    Image.new("RGBA", (8, 8), (0, 0, 0, 0)).quantize(4).save(out, "PNG")  # a palette PNG with a clear colour
    assert Image.open(io.BytesIO(out.getvalue())).convert("RGBA").getpixel((4, 4))[3] == 0
    stored = Image.open(io.BytesIO(photos.clean(out.getvalue())[0])).convert("RGBA")
    assert stored.getpixel((4, 4))[3] == 0  # still see-through
