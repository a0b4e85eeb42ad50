using System.Buffers.Binary;

namespace ShaveTracker.Web.Features.DemoData;

/// <summary>
/// Every random choice the demo data makes, from one seeded <see cref="Random"/>: the same seed and the same "now"
/// give the same rows, ids included, on every machine.
/// </summary>
internal sealed class DemoRandom(int seed)
{
    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string YouTubeIdAlphabet = Alphanumerics + "-_";

    private readonly Random _random = new(seed);

    public int Next(int minInclusive, int maxExclusive) => _random.Next(minInclusive, maxExclusive);

    public double NextDouble() => _random.NextDouble();

    public double Between(double min, double max) => min + ((max - min) * _random.NextDouble());

    public bool Chance(double probability) => _random.NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    public T PickWeighted<T>(IReadOnlyList<T> items, Func<T, int> weight)
    {
        var roll = _random.Next(items.Sum(weight));
        foreach (var item in items)
        {
            roll -= weight(item);
            if (roll < 0)
            {
                return item;
            }
        }

        throw new InvalidOperationException("Weights must be positive.");
    }

    public void Shuffle<T>(T[] items) => _random.Shuffle(items);

    /// <summary>
    /// RFC 9562 UUID version 7 at <paramref name="at"/>: ids made for later rows sort after earlier ones, as
    /// <see cref="Data.Ids.NewId()"/> does for real rows, but reproducibly.
    /// </summary>
    public Guid UuidV7(DateTime at)
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        var unixMs = (at - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;
        Span<byte> timestamp = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(timestamp, unixMs);
        timestamp[2..].CopyTo(bytes); // the low 48 bits, big-endian
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>A random (version 4) UUID, the shape of an Entra object id.</summary>
    public Guid UuidV4()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[6] = (byte)(0x40 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    public string Hex(int byteCount)
    {
        var bytes = new byte[byteCount];
        _random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public string Token(int length) => Chars(length, Alphanumerics);

    public string YouTubeId() => Chars(11, YouTubeIdAlphabet);

    private string Chars(int length, string alphabet)
    {
        var chars = new char[length];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[_random.Next(alphabet.Length)];
        }

        return new string(chars);
    }
}
