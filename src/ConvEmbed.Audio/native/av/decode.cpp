// The in-process decoder behind ConvEmbed.Audio.Decoding.InProcessDecoder: open a file with libavformat, decode its
// first audio stream with libavcodec, resample every channel to the front end's rate with libswresample (the same
// resampler and defaults as `ffmpeg -ar`), and average the channels — the samples the ffmpeg command path gives.
// It also reads what ffprobe was asked for: the container's name, its declared duration, and the title, artist and
// album tags. One call, one result object the caller frees; no global state, safe from several threads at once.
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/time.h>
#include <libswresample/swresample.h>
}

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#define CE_AV_API extern "C" __attribute__((visibility("default")))

namespace {

// Outcomes; InProcessDecoder maps each to the front end's typed errors.
enum Status : int {
  Ok = 0,
  FileError = 1,     // cannot open or read the file (missing, permissions)
  Unsupported = 2,   // not a container libavformat recognises
  NoAudio = 3,       // a container without an audio stream
  Corrupt = 4,       // an audio stream that yields no samples, or no decoder for its codec
  TooLong = 5,       // more audio than the caller's limit
  TimedOut = 6,      // past the deadline
  Cancelled = 7,     // the caller's cancel flag was set
  OutOfMemory = 8,
};

struct Interrupt {
  int64_t deadline_us;
  const volatile int32_t* cancel;
  bool timed_out = false;
  bool cancelled = false;
};

int interrupted(void* opaque) {
  auto* i = static_cast<Interrupt*>(opaque);
  if (i->cancel && *i->cancel) i->cancelled = true;
  else if (av_gettime_relative() > i->deadline_us) i->timed_out = true;
  return i->cancelled || i->timed_out;
}

// What the libraries log at error level while this thread decodes (the detail ffmpeg's stderr would show, e.g.
// "Header processing failed"); everything else they log is dropped instead of reaching the host's stderr.
thread_local std::string* thread_log = nullptr;

void log_to_thread(void* avcl, int level, const char* format, va_list args) {
  if (!thread_log || level > AV_LOG_ERROR) return;
  char line[1024];
  int prefix = 1;
  av_log_format_line2(avcl, level, format, args, line, sizeof line, &prefix);
  std::string text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty() || thread_log->size() > 4096) return;
  if (!thread_log->empty()) thread_log->append("; ");
  thread_log->append(text);
}

std::string av_error(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(code, text, sizeof text);
  return text;
}

}  // namespace

struct ce_av_result {
  int status = Ok;
  std::string message;
  std::string log;  // the libraries' error lines while decoding
  std::string format;
  std::string title, artist, album;
  double declared_seconds = -1;
  float* samples = nullptr;
  int64_t count = 0;
  int64_t capacity = 0;
  int64_t decode_errors = 0;

  ~ce_av_result() { std::free(samples); }

  ce_av_result* fail(int s, std::string m) {
    status = s;
    message = std::move(m);
    return this;
  }

  bool append(const float* interleaved, int frames, int channels, int64_t limit) {
    if (count + frames > limit) return false;
    if (count + frames > capacity) {
      int64_t grown = capacity ? capacity * 2 : (int64_t)1 << 20;
      while (grown < count + frames) grown *= 2;
      if (grown > limit) grown = limit;
      auto* bigger = static_cast<float*>(std::realloc(samples, sizeof(float) * (size_t)grown));
      if (!bigger) throw std::bad_alloc();
      samples = bigger;
      capacity = grown;
    }
    float* out = samples + count;
    if (channels == 1) {
      std::memcpy(out, interleaved, sizeof(float) * (size_t)frames);
    } else {
      // The channel mean, as PcmDownmix takes it on the ffmpeg command path (summed in float, then divided).
      for (int f = 0; f < frames; f++) {
        float sum = 0;
        const float* frame = interleaved + (size_t)f * channels;
        for (int c = 0; c < channels; c++) sum += frame[c];
        out[f] = sum / channels;
      }
    }
    count += frames;
    return true;
  }
};

namespace {

std::string tag(const AVFormatContext* fmt, const AVStream* stream, const char* key) {
  // The container's tags first (what ffprobe's format_tags shows); Ogg and Opus keep theirs on the stream.
  const AVDictionaryEntry* e = av_dict_get(fmt->metadata, key, nullptr, 0);
  if ((!e || !*e->value) && stream) e = av_dict_get(stream->metadata, key, nullptr, 0);
  return e ? e->value : "";
}

struct Decoding {
  AVFormatContext* fmt = nullptr;
  AVCodecContext* codec = nullptr;
  SwrContext* swr = nullptr;
  AVPacket* packet = nullptr;
  AVFrame* frame = nullptr;
  float* buffer = nullptr;
  int buffer_frames = 0;
  int channels = 0;
  int in_rate = 0;
  int in_format = -1;
  AVChannelLayout frame_layout{};  // as the frames state it (possibly an unspecified order)
  AVChannelLayout in_layout{};     // as the resampler takes it

  ~Decoding() {
    av_freep(&buffer);
    av_channel_layout_uninit(&frame_layout);
    av_channel_layout_uninit(&in_layout);
    swr_free(&swr);
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&codec);
    avformat_close_input(&fmt);
  }
};

// Ensures the resampler matches this frame's format, rate and channels (they may change mid-stream).
int prepare_resampler(Decoding& d, const AVFrame* frame, int rate, ce_av_result* r, int64_t limit) {
  bool same = d.swr && frame->format == d.in_format && frame->sample_rate == d.in_rate &&
              av_channel_layout_compare(&frame->ch_layout, &d.frame_layout) == 0;
  if (same) return 0;
  if (d.swr) {  // drain what the old configuration still holds
    int n;
    while ((n = swr_convert(d.swr, reinterpret_cast<uint8_t**>(&d.buffer), d.buffer_frames, nullptr, 0)) > 0)
      if (!r->append(d.buffer, n, d.channels, limit)) return AVERROR(ERANGE);
    swr_free(&d.swr);
  }
  av_channel_layout_uninit(&d.frame_layout);
  av_channel_layout_uninit(&d.in_layout);
  int err = av_channel_layout_copy(&d.frame_layout, &frame->ch_layout);
  if (err < 0) return err;
  err = frame->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC
                ? (av_channel_layout_default(&d.in_layout, frame->ch_layout.nb_channels), 0)
                : av_channel_layout_copy(&d.in_layout, &frame->ch_layout);
  if (err < 0) return err;
  err = swr_alloc_set_opts2(&d.swr, &d.in_layout, AV_SAMPLE_FMT_FLT, rate, &d.in_layout,
                            static_cast<AVSampleFormat>(frame->format), frame->sample_rate, 0, nullptr);
  if (err < 0) return err;
  if ((err = swr_init(d.swr)) < 0) return err;
  d.in_format = frame->format;
  d.in_rate = frame->sample_rate;
  d.channels = d.in_layout.nb_channels;
  return 0;
}

int convert(Decoding& d, const AVFrame* frame, ce_av_result* r, int64_t limit) {
  int needed = swr_get_out_samples(d.swr, frame ? frame->nb_samples : 0);
  if (needed < 0) return needed;
  if (needed > d.buffer_frames) {
    av_freep(&d.buffer);
    int err = av_samples_alloc(reinterpret_cast<uint8_t**>(&d.buffer), nullptr, d.channels, needed, AV_SAMPLE_FMT_FLT, 0);
    if (err < 0) return err;
    d.buffer_frames = needed;
  }
  int n = swr_convert(d.swr, reinterpret_cast<uint8_t**>(&d.buffer), d.buffer_frames,
                      frame ? const_cast<const uint8_t**>(frame->extended_data) : nullptr, frame ? frame->nb_samples : 0);
  if (n < 0) return n;
  return r->append(d.buffer, n, d.channels, limit) ? 0 : AVERROR(ERANGE);
}

// Receives every frame the decoder has ready. Returns 0, or a negative error (ERANGE: over the limit).
int drain_decoder(Decoding& d, int rate, ce_av_result* r, int64_t limit) {
  while (true) {
    int err = avcodec_receive_frame(d.codec, d.frame);
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return 0;
    if (err < 0) {  // a damaged frame: the command line reports it and goes on, so do we
      r->decode_errors++;
      return 0;
    }
    if (d.frame->nb_samples > 0) {
      if ((err = prepare_resampler(d, d.frame, rate, r, limit)) < 0 || (err = convert(d, d.frame, r, limit)) < 0) {
        av_frame_unref(d.frame);
        return err;
      }
    }
    av_frame_unref(d.frame);
  }
}

ce_av_result* run(const char* path, int rate, double max_seconds, int64_t timeout_ms, const volatile int32_t* cancel, bool decode) {
  static std::once_flag quiet;
  std::call_once(quiet, [] { av_log_set_callback(log_to_thread); });
  auto* r = new ce_av_result();
  struct LogScope {
    explicit LogScope(std::string* log) { thread_log = log; }
    ~LogScope() { thread_log = nullptr; }
  } log_scope(&r->log);
  Decoding d;
  Interrupt interrupt{av_gettime_relative() + timeout_ms * 1000, cancel};
  auto stopped = [&]() -> ce_av_result* {
    return interrupt.cancelled ? r->fail(Cancelled, "cancelled")
                               : r->fail(TimedOut, "did not finish within " + std::to_string(timeout_ms / 1000.0) + " s");
  };

  d.fmt = avformat_alloc_context();
  if (!d.fmt) return r->fail(OutOfMemory, "out of memory");
  d.fmt->interrupt_callback.callback = interrupted;
  d.fmt->interrupt_callback.opaque = &interrupt;
  int err = avformat_open_input(&d.fmt, path, nullptr, nullptr);
  if (err < 0) {  // avformat_open_input frees the context on failure
    d.fmt = nullptr;
    if (interrupt.cancelled || interrupt.timed_out) return stopped();
    if (err == AVERROR_INVALIDDATA) return r->fail(Unsupported, "Invalid data found when processing input");
    if (err == AVERROR(ENOENT) || err == AVERROR(EACCES) || err == AVERROR(EISDIR) || err == AVERROR(EIO) || err == AVERROR(ELOOP))
      return r->fail(FileError, av_error(err));
    return r->fail(Unsupported, av_error(err));
  }
  // As the command line does: missing parameters are a warning, decoding may still work.
  avformat_find_stream_info(d.fmt, nullptr);
  if (interrupt.cancelled || interrupt.timed_out) return stopped();

  r->format = d.fmt->iformat && d.fmt->iformat->name ? d.fmt->iformat->name : "";
  if (d.fmt->duration != AV_NOPTS_VALUE && d.fmt->duration > 0) r->declared_seconds = d.fmt->duration / (double)AV_TIME_BASE;
  int index = -1;  // the first audio stream, like "-map 0:a:0"
  for (unsigned i = 0; i < d.fmt->nb_streams; i++)
    if (d.fmt->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) {
      index = (int)i;
      break;
    }
  const AVStream* stream = index >= 0 ? d.fmt->streams[index] : nullptr;
  r->title = tag(d.fmt, stream, "title");
  r->artist = tag(d.fmt, stream, "artist");
  r->album = tag(d.fmt, stream, "album");
  if (!decode) return r;
  if (!stream) return r->fail(NoAudio, "the file contains no audio stream");

  const AVCodec* decoder = avcodec_find_decoder(stream->codecpar->codec_id);
  if (!decoder) return r->fail(Corrupt, std::string("no decoder for the codec ") + avcodec_get_name(stream->codecpar->codec_id));
  d.codec = avcodec_alloc_context3(decoder);
  d.packet = av_packet_alloc();
  d.frame = av_frame_alloc();
  if (!d.codec || !d.packet || !d.frame) return r->fail(OutOfMemory, "out of memory");
  if ((err = avcodec_parameters_to_context(d.codec, stream->codecpar)) < 0) return r->fail(Corrupt, av_error(err));
  d.codec->thread_count = 1;  // the caller runs several decodes side by side ("-threads 1")
  d.codec->pkt_timebase = stream->time_base;
  if ((err = avcodec_open2(d.codec, decoder, nullptr)) < 0)
    return r->fail(Corrupt, std::string("cannot open the ") + decoder->name + " decoder: " + av_error(err));

  const int64_t limit = (int64_t)(max_seconds * rate) + 1;
  bool flushed = false;
  try {
    while (!flushed) {
      err = av_read_frame(d.fmt, d.packet);
      if (err < 0) {
        if (interrupt.cancelled || interrupt.timed_out) return stopped();
        // End of file, or a read error the command line would also stop at: decode what is left.
        err = avcodec_send_packet(d.codec, nullptr);
        flushed = true;
      } else {
        if (d.packet->stream_index != index) {
          av_packet_unref(d.packet);
          continue;
        }
        err = avcodec_send_packet(d.codec, d.packet);
        av_packet_unref(d.packet);
        if (err < 0 && err != AVERROR(EAGAIN)) r->decode_errors++;
      }
      if ((err = drain_decoder(d, rate, r, limit)) < 0) {
        if (err == AVERROR(ERANGE)) return r->fail(TooLong, "longer than the limit");
        return r->fail(Corrupt, av_error(err));
      }
      if (interrupt.cancelled || interrupt.timed_out || interrupted(&interrupt)) return stopped();
    }
    if (d.swr && (err = convert(d, nullptr, r, limit)) < 0) {  // the resampler's tail
      if (err == AVERROR(ERANGE)) return r->fail(TooLong, "longer than the limit");
      return r->fail(Corrupt, av_error(err));
    }
  } catch (const std::bad_alloc&) {
    return r->fail(OutOfMemory, "out of memory");
  }
  if (r->count == 0)
    return r->fail(Corrupt, r->decode_errors > 0 ? "every packet of the audio stream failed to decode" : "the audio stream holds no samples");
  return r;
}

}  // namespace

// Decodes path (decode != 0) or only reads its container name, duration and tags (decode == 0). Never returns null
// except when out of memory; check ce_av_status, then free with ce_av_free.
CE_AV_API ce_av_result* ce_av_open(const char* path, int32_t rate, double max_seconds, int64_t timeout_ms,
                                   const volatile int32_t* cancel, int32_t decode) {
  try {
    return run(path, rate, max_seconds, timeout_ms, cancel, decode != 0);
  } catch (...) {
    return nullptr;
  }
}

CE_AV_API int32_t ce_av_status(const ce_av_result* r) { return r->status; }
CE_AV_API const char* ce_av_message(const ce_av_result* r) { return r->message.c_str(); }
CE_AV_API const char* ce_av_log(const ce_av_result* r) { return r->log.c_str(); }
CE_AV_API const char* ce_av_format(const ce_av_result* r) { return r->format.c_str(); }
CE_AV_API double ce_av_declared_seconds(const ce_av_result* r) { return r->declared_seconds; }
CE_AV_API int64_t ce_av_decode_errors(const ce_av_result* r) { return r->decode_errors; }

CE_AV_API const char* ce_av_tag(const ce_av_result* r, int32_t which) {
  switch (which) {
    case 0: return r->title.c_str();
    case 1: return r->artist.c_str();
    default: return r->album.c_str();
  }
}

CE_AV_API const float* ce_av_samples(const ce_av_result* r, int64_t* count) {
  *count = r->count;
  return r->samples;
}

CE_AV_API void ce_av_free(ce_av_result* r) { delete r; }

// The libavformat version the library was built against and the one loaded, for diagnostics.
CE_AV_API uint32_t ce_av_version() { return avformat_version(); }
