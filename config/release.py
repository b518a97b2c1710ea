"""Which release is running, for the cache-key salt (config/settings.py).

WAYMARK_RELEASE names it when set (a deploy script, a container image's
build argument); otherwise the commit the checkout is at, read straight from
.git (a process must not run git at start-up: it may not be installed, and
the repository may belong to another user).
"""

from __future__ import annotations

from pathlib import Path

SHORT = 12


def git_commit(base_dir: Path) -> str | None:
    """The commit HEAD points at (its first 12 hex digits), or None when
    there is no readable .git: a detached HEAD holds the hash itself; a branch
    is a loose ref file or a line of packed-refs."""
    git = base_dir / ".git"
    try:
        if git.is_file():  # a worktree or submodule: "gitdir: <path>"
            target = git.read_text().strip().removeprefix("gitdir:").strip()
            git = (base_dir / target).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return _hash(head)
        ref = head.removeprefix("ref:").strip()
        # A linked worktree keeps its refs in the main repository ("commondir").
        common = git / "commondir"
        roots = [git] + ([(git / common.read_text().strip()).resolve()] if common.is_file() else [])
        for root in roots:
            loose = root / ref
            if loose.is_file():
                return _hash(loose.read_text().strip())
            packed = root / "packed-refs"
            if packed.is_file():
                for line in packed.read_text().splitlines():
                    sha, _, name = line.partition(" ")
                    if name.strip() == ref:
                        return _hash(sha)
    except (OSError, UnicodeDecodeError):
        return None
    return None


def _hash(text: str) -> str | None:
    text = text.strip().lower()
    if len(text) >= SHORT and all(c in "0123456789abcdef" for c in text):
        return text[:SHORT]
    return None
