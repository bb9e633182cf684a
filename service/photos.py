"""Photos of a lot, uploaded by its bailiff from the console (SPEC §2.1: the inventory "with photos").

An upload is checked by decoding it (Pillow), not by its name or declared type: JPEG or PNG only, at
most 8 MB and 40 megapixels, at most 12 per lot. It is stored re-encoded, which drops the EXIF and
other metadata a camera writes (GPS position of the debtor's home, the bailiff's phone). The lot's
`photos` list gets its address `/photos/<id>`, so the catalogue and the lot page show it like a linked
photo; the journal records its SHA-256.
"""
from __future__ import annotations

import hashlib
import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from auction import commands as c
from auction.errors import BadRequest, RuleViolation
from auction.events import PhotoAdded
from auction.lots.model import FINAL

from . import access, load
from .orm import Photo
from .uow import UnitOfWork

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_PER_LOT = 12
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


def add_photo(uow: UnitOfWork, actor, cmd: c.AddPhoto) -> Photo:
    content, content_type, width, height = clean(cmd.data)  # before the transaction: decoding takes a while
    lot = load.lot(uow, cmd.lot_id, lock=True)
    access.own_bailiff(actor, load.proceeding(uow, lot.proceeding_id))
    if lot.status in FINAL:
        raise RuleViolation(f"the lot is {lot.status}: its inventory is closed", code="invalid_state",
                            facts={"lot_status": lot.status})
    if len(lot.photos) >= MAX_PER_LOT:
        raise RuleViolation(f"a lot has at most {MAX_PER_LOT} photos (platform rule)", code="too_many_photos",
                            facts={"max_photos": MAX_PER_LOT})
    photo = Photo(lot_id=lot.id, content_type=content_type, content=content, sha256=hashlib.sha256(content).hexdigest(),
                  width=width, height=height, uploaded_at=uow.now)
    uow.session.add(photo)
    uow.flush()
    lot.photos = [*lot.photos, f"/photos/{photo.id}"]  # a new list: the JSON column sees the change
    uow.record(PhotoAdded(lot_id=lot.id, photo_id=photo.id, sha256=photo.sha256, width=width, height=height))
    uow.commit()
    return photo


def clean(data: bytes) -> tuple[bytes, str, int, int]:
    """The upload decoded and re-encoded without metadata: (bytes, content type, width, height)."""
    if not data:
        raise BadRequest("choose a photo to upload", code="bad_photo")
    if len(data) > MAX_BYTES:
        raise BadRequest(f"the photo is {len(data) / 1048576:.1f} MB; at most {MAX_BYTES // 1048576} MB",
                         code="bad_photo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _reencode(data)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise BadRequest("the file is not a readable JPEG or PNG photo", code="bad_photo") from None


def _reencode(data: bytes) -> tuple[bytes, str, int, int]:
    with Image.open(io.BytesIO(data)) as img:
        if img.format not in FORMATS:
            raise BadRequest(f"a photo is JPEG or PNG, not {img.format}", code="bad_photo")
        if img.width * img.height > MAX_PIXELS:  # from the header, before the pixels are decoded
            raise BadRequest(f"the photo is {img.width}×{img.height}; at most {MAX_PIXELS // 1_000_000} megapixels",
                             code="bad_photo")
        img.load()
        fmt, keep = img.format, {k: img.info[k] for k in ("icc_profile",) if k in img.info}
        upright = ImageOps.exif_transpose(img)  # a phone's "rotate me" tag goes with the EXIF: turn the pixels
        if fmt == "JPEG":
            pixels = upright.convert("RGB") if upright.mode not in ("RGB", "L") else upright.copy()
        elif "transparency" in img.info or upright.mode in ("RGBA", "LA", "PA"):
            pixels = upright.convert("RGBA")  # a palette's or a colour's transparency, as an alpha channel
        else:
            pixels = upright.copy()
        # Pillow would write the EXIF, comments and text chunks back; only the colour profile, which
        # changes how the photo looks, is kept.
        pixels.info = {}
        out = io.BytesIO()
        if fmt == "JPEG":
            pixels.save(out, "JPEG", quality=88, optimize=True, exif=b"", **keep)
        else:
            pixels.save(out, "PNG", optimize=True, **keep)
        return out.getvalue(), FORMATS[fmt], pixels.width, pixels.height
