using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using ConvEmbed.Torch.Modules;
using ConvEmbed.Torch.Serialization;

namespace ConvEmbed.Torch.Tests.Serialization;

public class SafetensorsTests
{
    [Fact]
    public void ModuleRoundTripIsBitExact()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ce-{Guid.NewGuid():N}.safetensors");
        try
        {
            Torch.manual_seed(1);
            using var a = new Sequential(new Conv1d(4, 8, 3, padding: 1), new BatchNorm1d(8), new LayerNorm(8));
            using (var s = DisposeScope.Enter()) a.forward(Torch.randn([2, 4, 8])); // moves BN running stats
            a.Save(path, new Dictionary<string, string> { ["model"] = "test" });
            Torch.manual_seed(2);
            using var b = new Sequential(new Conv1d(4, 8, 3, padding: 1), new BatchNorm1d(8), new LayerNorm(8));
            b.Load(path);
            foreach (var ((name, ta), (_, tb)) in a.state_dict().Zip(b.state_dict()))
                Assert.True(ta.bytes().SequenceEqual(tb.bytes()), name);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void FileFollowsTheSafetensorsLayout()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ce-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var scope = DisposeScope.Enter();
            Safetensors.Save(path, [
                ("b", Torch.tensor<float>([1f, 2f, 3f, 4f, 5f, 6f], 2, 3)),
                ("a", Torch.tensor<Half>([(Half)1.5f], 1)),
                ("n", Torch.tensor<long>([7L], 1)),
            ]);
            var bytes = File.ReadAllBytes(path);
            var n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            Assert.Equal(0, n % 8);
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, n).TrimEnd());
            var b = doc.RootElement.GetProperty("b");
            Assert.Equal("F32", b.GetProperty("dtype").GetString());
            Assert.Equal([2L, 3L], b.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
            Assert.Equal("F16", doc.RootElement.GetProperty("a").GetProperty("dtype").GetString());
            Assert.Equal("I64", doc.RootElement.GetProperty("n").GetProperty("dtype").GetString());
            var offs = b.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            Assert.Equal(1f, BitConverter.ToSingle(bytes, 8 + n + offs[0]));
            Assert.Equal(8 + n + 2 + 24 + 8, bytes.Length); // contiguous data, no gaps
            var loaded = Safetensors.Load(path);
            Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], loaded["b"].data<float>());
            Assert.Equal((Half)1.5f, loaded["a"].data<Half>()[0]);
            Assert.Equal(7L, loaded["n"].data<long>()[0]);
        }
        finally { File.Delete(path); }
    }
}
