"""Progress bars for long reads and writes (tqdm, an optional extra)."""

from __future__ import annotations

from typing import Any

__all__ = ["progress_bar"]


def progress_bar(model: str, what: str, total: int | None = None) -> Any:
    """A tqdm bar for ``model``; ``what`` names the call for the missing-tqdm error."""
    try:
        from tqdm.auto import tqdm  # optional extra
    except ImportError:
        raise ImportError(
            f"{what}(progress=True) needs tqdm, which is not installed: "
            "pip install 'odoorm[tqdm]' (or pass progress=False)"
        ) from None
    return tqdm(desc=model, unit="rec", total=total)
