"""Step 1, in the worker: Python, framework versions, CUDA/cuDNN, devices, relevant variables."""

from __future__ import annotations

import contextlib
import os
import platform
import sys
from importlib import metadata
from typing import Any

from dl_lsp.probe.results import DeviceInfo, Environment

DISTRIBUTIONS = {
    "torch": ("torch",),
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tf-nightly", "tensorflow-macos"),
    "keras": ("keras", "tf-keras"),
    "numpy": ("numpy",),
    "torchvision": ("torchvision",),
    "jax": ("jax",),
}
VARIABLES = (
    "CUDA_VISIBLE_DEVICES",
    "CUDA_LAUNCH_BLOCKING",
    "CUBLAS_WORKSPACE_CONFIG",
    "PYTHONHASHSEED",
    "TF_DETERMINISTIC_OPS",
    "TF_CUDNN_DETERMINISTIC",
    "TF_ENABLE_ONEDNN_OPTS",
    "TF_FORCE_GPU_ALLOW_GROWTH",
    "KERAS_BACKEND",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NVIDIA_TF32_OVERRIDE",
    "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE",
)


def installed_versions() -> dict[str, str]:
    """Framework → installed version, read from package metadata (nothing imported)."""
    versions: dict[str, str] = {}
    for framework, distributions in DISTRIBUTIONS.items():
        for distribution in distributions:
            try:
                versions[framework] = metadata.version(distribution)
                break
            except metadata.PackageNotFoundError:
                continue
    return versions


def cpu_device() -> DeviceInfo:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = None
    with contextlib.suppress(ValueError, OSError, AttributeError):
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return DeviceInfo("cpu", "cpu", f"{model} ({os.cpu_count()} logical cores)", memory)


def torch_devices(torch: Any) -> tuple[list[DeviceInfo], str | None, str | None]:
    """CUDA devices as torch sees them, with the CUDA and cuDNN versions torch was built with."""
    cuda = getattr(torch.version, "cuda", None)
    cudnn = None
    devices: list[DeviceInfo] = []
    try:
        if torch.backends.cudnn.is_available():
            cudnn = str(torch.backends.cudnn.version())
    except Exception:
        pass
    try:
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
    except Exception:
        count = 0
    for index in range(count):
        try:
            props = torch.cuda.get_device_properties(index)
            devices.append(
                DeviceInfo(
                    f"cuda:{index}",
                    "cuda",
                    props.name,
                    int(props.total_memory),
                    f"{props.major}.{props.minor}",
                )
            )
        except Exception as error:
            devices.append(DeviceInfo(f"cuda:{index}", "cuda", f"unreadable: {error}"))
    return devices, cuda, cudnn


def tensorflow_devices(tf: Any) -> tuple[list[DeviceInfo], str | None, str | None]:
    """GPUs as TensorFlow sees them, with its build's CUDA and cuDNN versions."""
    devices: list[DeviceInfo] = []
    build: dict[str, Any] = {}
    with contextlib.suppress(Exception):
        build = dict(tf.sysconfig.get_build_info())
    try:
        gpus = tf.config.list_physical_devices("GPU")
    except Exception:
        gpus = []
    for index, gpu in enumerate(gpus):
        description = gpu.name
        try:
            details = tf.config.experimental.get_device_details(gpu)
            description = details.get("device_name", description)
        except Exception:
            pass
        devices.append(DeviceInfo(f"cuda:{index}", "cuda", description))
    cuda = build.get("cuda_version") or None
    cudnn = build.get("cudnn_version") or None
    return devices, cuda, cudnn


def fingerprint(
    modules: dict[str, Any],
    seeds: tuple[Any, ...] = (),
    import_seconds: dict[str, float] | None = None,
) -> Environment:
    """The environment, from the frameworks the worker imported (``modules``: name → module)."""
    devices = [cpu_device()]
    cuda = cudnn = None
    if "torch" in modules:
        found, cuda, cudnn = torch_devices(modules["torch"])
        devices += found
    if "tensorflow" in modules and not any(d.kind == "cuda" for d in devices):
        found, tf_cuda, tf_cudnn = tensorflow_devices(modules["tensorflow"])
        devices += found
        cuda, cudnn = cuda or tf_cuda, cudnn or tf_cudnn
    return Environment(
        python=sys.version.split()[0],
        platform=platform.platform(),
        frameworks=installed_versions(),
        cuda=cuda,
        cudnn=cudnn,
        devices=tuple(devices),
        variables={name: os.environ[name] for name in VARIABLES if name in os.environ},
        seeds=tuple(seeds),
        import_seconds=dict(import_seconds or {}),
    )
