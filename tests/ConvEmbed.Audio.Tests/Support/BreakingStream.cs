namespace ConvEmbed.Audio.Tests.Support;

/// <summary>Serves the first <c>breakAt</c> bytes, then fails as a dropped connection would (shared with the service tests).</summary>
public sealed class BreakingStream(byte[] bytes, int breakAt) : Stream
{
    private int position;

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (position >= breakAt) throw new IOException("connection reset by peer (simulated)");
        var n = Math.Min(count, breakAt - position);
        Array.Copy(bytes, position, buffer, offset, n);
        position += n;
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => bytes.Length;
    public override long Position { get => position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
