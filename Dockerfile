# The ConvEmbed service: an ASP.NET Core 10 app with its libtorch shim, ffmpeg and SoX, as a non-root user.
#
#   docker build -t convembed .                          CPU (default): Debian 12 and Debian's libtorch 1.13
#   docker build -t convembed:cuda --build-arg TORCH=cuda \
#     --build-arg LIBTORCH_URL=... --build-arg LIBTORCH_SHA256=... .
#
# Needs BuildKit (the default builder since Docker 23), which builds only the stages TORCH selects.
#
# Why not the ASP.NET Core runtime image: .NET 10 ships no Debian images (Ubuntu 24.04 is its only glibc base), while
# Debian's libtorch 1.13 packages, which the shim is compiled and run against, exist for Debian 12. So both stages are
# bookworm: the build stage copies the SDK out of the .NET SDK image, and the service is published self-contained
# (the ASP.NET Core 10 runtime travels inside /opt/convembed).
#
# TORCH=cuda, for GPU hosts. Debian's libtorch is CPU-only, so the CUDA variant compiles the shim against PyTorch's
# own libtorch C++ distribution: the 1.13.1 "cxx11 ABI, shared with deps" zip for CUDA 11.7
# (libtorch-cxx11-abi-shared-with-deps-1.13.1+cu117.zip from PyTorch's download site; pass its address and
# SHA-256). It must be a 1.13 release (the shim uses the 1.13 C++ API; checked below) built with the cxx11 ABI (the
# shim is compiled with g++'s default _GLIBCXX_USE_CXX11_ABI=1; the pre-cxx11 zip fails to link). Its CMake files need
# the CUDA 11.7 toolkit to configure, and the shim then needs CUDA 11.7's runtime libraries, so this variant is built
# on nvidia/cuda:11.7.1-cudnn8-devel-ubuntu22.04 and runs on nvidia/cuda:11.7.1-cudnn8-runtime-ubuntu22.04 (glibc
# 2.35; the same package names below exist in Ubuntu 22.04; its ffmpeg is 4.4 instead of 5.1). The NVIDIA driver comes
# from the host through the NVIDIA Container Toolkit (compose: a device reservation; docker run: --gpus all).

ARG TORCH=cpu

# Only the SDK folder of this image is used: Microsoft's portable linux-x64 build runs on Debian 12 and Ubuntu 22.04.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS dotnet-sdk

FROM debian:bookworm-slim AS build-base-cpu
FROM nvidia/cuda:11.7.1-cudnn8-devel-ubuntu22.04 AS build-base-cuda
FROM debian:bookworm-slim AS runtime-base-cpu
FROM nvidia/cuda:11.7.1-cudnn8-runtime-ubuntu22.04 AS runtime-base-cuda

# ---------------------------------------------------------------------------------------------------------------------
FROM build-base-${TORCH} AS build
ARG TORCH
ARG LIBTORCH_URL=""
ARG LIBTORCH_SHA256=""
ENV DOTNET_ROOT=/usr/share/dotnet \
    PATH=/usr/share/dotnet:$PATH \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1 \
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 \
    DEBIAN_FRONTEND=noninteractive
COPY --from=dotnet-sdk /usr/share/dotnet /usr/share/dotnet

# BUILD_PACKAGES is deploy/packages.sh's list (PackagingTests checks that they agree); ca-certificates and libssl3
# are for NuGet. TORCH=cuda swaps Debian's libtorch-dev for the zip in /opt/libtorch; with TORCH=cpu that folder
# stays empty.
RUN set -eu; \
    case "$TORCH" in cpu|cuda) ;; *) echo "TORCH must be cpu or cuda (was '$TORCH')" >&2; exit 1 ;; esac; \
    BUILD_PACKAGES="libtorch-dev cmake g++ make pkg-config libavformat-dev libavcodec-dev libswresample-dev libavutil-dev"; \
    if [ "$TORCH" = cuda ]; then \
      if [ -z "$LIBTORCH_URL" ] || [ -z "$LIBTORCH_SHA256" ]; then \
        echo "TORCH=cuda needs --build-arg LIBTORCH_URL=... and LIBTORCH_SHA256=... (libtorch 1.13.1, cxx11 ABI, cu117)" >&2; exit 1; \
      fi; \
      BUILD_PACKAGES="$(echo "$BUILD_PACKAGES" | sed 's/libtorch-dev//') curl unzip"; \
    fi; \
    apt-get update; \
    apt-get install -y --no-install-recommends $BUILD_PACKAGES ca-certificates libssl3; \
    rm -rf /var/lib/apt/lists/*; \
    mkdir -p /opt/libtorch/lib; \
    if [ "$TORCH" = cuda ]; then \
      curl -fsSL "$LIBTORCH_URL" -o /tmp/libtorch.zip; \
      echo "$LIBTORCH_SHA256  /tmp/libtorch.zip" | sha256sum -c -; \
      unzip -q /tmp/libtorch.zip -d /opt; \
      rm /tmp/libtorch.zip; \
      grep -q '^1\.13\.' /opt/libtorch/build-version \
        || { echo "the zip holds libtorch $(cat /opt/libtorch/build-version), the shim needs 1.13" >&2; exit 1; }; \
    fi

WORKDIR /src
# Project files first: the restore layer is reused until a project or package version changes.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY src/ConvEmbed.Torch/ConvEmbed.Torch.csproj src/ConvEmbed.Torch/
COPY src/ConvEmbed.Audio/ConvEmbed.Audio.csproj src/ConvEmbed.Audio/
COPY src/ConvEmbed.Model/ConvEmbed.Model.csproj src/ConvEmbed.Model/
COPY src/ConvEmbed.MapPage/ConvEmbed.MapPage.csproj src/ConvEmbed.MapPage/
COPY src/ConvEmbed.Service/ConvEmbed.Service.csproj src/ConvEmbed.Service/
RUN dotnet restore src/ConvEmbed.Service/ConvEmbed.Service.csproj -r linux-x64 -p:SelfContained=true

COPY src/ConvEmbed.Torch/ src/ConvEmbed.Torch/
COPY src/ConvEmbed.Audio/ src/ConvEmbed.Audio/
COPY src/ConvEmbed.Model/ src/ConvEmbed.Model/
COPY src/ConvEmbed.MapPage/ src/ConvEmbed.MapPage/
COPY src/ConvEmbed.Service/ src/ConvEmbed.Service/
# ConvEmbed.Audio.csproj builds libconvembed_av.so (FFmpeg's libraries in process) and ConvEmbed.Torch.csproj builds
# the shim with CMake during the publish: against Debian's libtorch, or, with
# LIBTORCH_DIR, against the zip (its RUNPATH then points at /opt/libtorch/lib, where the runtime stage puts it).
RUN set -eu; \
    if [ "$TORCH" = cuda ]; then export LIBTORCH_DIR=/opt/libtorch; fi; \
    dotnet publish src/ConvEmbed.Service/ConvEmbed.Service.csproj --no-restore -c Release -r linux-x64 \
      --self-contained -p:DebugType=none -o /app; \
    test -f /app/libconvembed_torch.so; test -f /app/libconvembed_av.so

# ---------------------------------------------------------------------------------------------------------------------
FROM runtime-base-${TORCH} AS runtime
ARG TORCH
ENV DEBIAN_FRONTEND=noninteractive

# RUNTIME_PACKAGES is deploy/packages.sh's list (PackagingTests checks that they agree): Debian's libtorch; OpenBLAS
# behind libblas.so.3 (13x the reference BLAS, docs/architecture.md#why-these-dependencies); ffmpeg, ffprobe and SoX to decode; libssl3 for .NET's
# cryptography (SHA-256 of uploads, SCRAM logins); curl for the health check. TORCH=cuda uses the zip's libtorch.
RUN set -eu; \
    RUNTIME_PACKAGES="libtorch1.13 libopenblas0-pthread ffmpeg sox libsox-fmt-all libssl3 ca-certificates curl"; \
    if [ "$TORCH" = cuda ]; then RUNTIME_PACKAGES="$(echo "$RUNTIME_PACKAGES" | sed 's/libtorch1\.13//')"; fi; \
    apt-get update; \
    apt-get install -y --no-install-recommends $RUNTIME_PACKAGES; \
    rm -rf /var/lib/apt/lists/*; \
    groupadd --system --gid 10001 convembed; \
    useradd --system --uid 10001 --gid convembed --home-dir /var/lib/convembed --no-create-home \
      --shell /usr/sbin/nologin convembed; \
    mkdir -p /var/lib/convembed; \
    chown convembed:convembed /var/lib/convembed

COPY --from=build /opt/libtorch/lib /opt/libtorch/lib
COPY --from=build /app /opt/convembed

# Uploads (blobs/), the log-mel cache (features/) and trained models (models/) live under one folder: one volume.
# NVIDIA_DRIVER_CAPABILITIES only matters on a GPU host (the toolkit mounts the driver's compute libraries).
ENV ASPNETCORE_URLS=http://+:8080 \
    ConvEmbed__Storage__DataDirectory=/var/lib/convembed \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
VOLUME /var/lib/convembed
EXPOSE 8080
WORKDIR /opt/convembed
USER convembed

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/health/live || exit 1

ENTRYPOINT ["/opt/convembed/ConvEmbed.Service"]
