"""``python -m plananalysis.models``: list the registered models (name, min_obs, scale, summary)."""

from . import DEFAULT_MODEL, REGISTRY

if __name__ == "__main__":
    print(f"auto = {DEFAULT_MODEL}")
    for name, m in REGISTRY.items():
        print(f"{name:12s} min_obs {m.min_obs}  {m.scale:8s}  {m.summary}")
