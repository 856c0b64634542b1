#!/usr/bin/env python3
"""Prints one web build setting from wasm-pack.toml, for scripts/build-web.sh.

    wasm_settings.py target | out_dir | out_name | wasm_opt_args
"""
import sys
import tomllib

with open("wasm-pack.toml", "rb") as f:
    settings = tomllib.load(f)
key = sys.argv[1] if len(sys.argv) > 1 else ""
if key == "wasm_opt_args":
    print(" ".join(settings["wasm-opt"]["args"]))
elif key in settings["build"]:
    print(settings["build"][key])
else:
    sys.exit(f"wasm_settings.py: unknown setting {key!r}")
