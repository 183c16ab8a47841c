using Actors.Serialization.Tests.Model;
using FsCheck;
using FsCheck.Fluent;

namespace Actors.Serialization.Tests;

[GenerateSerializer]
public sealed record Sample(
    int Int,
    long Long,
    string? Text,
    double Double,
    decimal Decimal,
    Guid Guid,
    DateTime Time,
    Color Color,
    List<int> Ints,
    Dictionary<string, long> Map,
    (int Number, string? Name) Tuple,
    byte[] Bytes,
    Animal? Pet,
    int? Maybe,
    Sample? Child);

/// <summary>Property tests over generated shapes (FsCheck, fixed seeds so a failure reproduces).</summary>
public class PropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300).WithReplay(20261122UL, 12345UL);

    [Fact]
    public void AnySample_RoundTripsToTheSameBytes()
    {
        Prop.ForAll(Arb.From(SampleGen(depth: 2)), sample =>
        {
            byte[] bytes = Wire.Serializer.SerializeToArray(sample);
            Sample copy = Wire.Serializer.Deserialize<Sample>(bytes);
            return Wire.Hex(Wire.Serializer.SerializeToArray(copy)) == Wire.Hex(bytes) && SameScalars(sample, copy);
        }).Check(Runs);
    }

    [Fact]
    public void AnySample_DeepCopyIsEqualAndIndependent()
    {
        Prop.ForAll(Arb.From(SampleGen(depth: 2)), sample =>
        {
            Sample copy = Wire.Copier.Copy(sample);
            return !ReferenceEquals(copy.Ints, sample.Ints)
                && Wire.Hex(Wire.Serializer.SerializeToArray(copy)) == Wire.Hex(Wire.Serializer.SerializeToArray(sample));
        }).Check(Runs);
    }

    [Fact]
    public void AnyBytes_EitherReadOrFailWithASerializerException()
    {
        Prop.ForAll(Arb.From(ArbMap.Default.GeneratorFor<byte[]>()), bytes => ReadsOrFailsTyped(bytes)).Check(Runs.WithMaxTest(2000));
    }

    [Fact]
    public void AnyCorruptionOfAValidMessage_EitherReadsOrFailsWithASerializerException()
    {
        Gen<(Sample, int, byte)> corruption =
            from sample in SampleGen(depth: 1)
            from position in Gen.Choose(0, 10_000)
            from value in ArbMap.Default.GeneratorFor<byte>()
            select (sample, position, value);
        Prop.ForAll(Arb.From(corruption), input =>
        {
            byte[] bytes = Wire.Serializer.SerializeToArray(input.Item1);
            bytes[input.Item2 % bytes.Length] = input.Item3;
            return ReadsOrFailsTyped(bytes);
        }).Check(Runs.WithMaxTest(2000));
    }

    [Fact]
    public void StringWithALoneSurrogate_IsRefusedNotAltered()
    {
        Assert.Throws<SerializerException>(() => Wire.Serializer.SerializeToArray("a\ud800b"));
        Assert.Throws<SerializerException>(() => Wire.Serializer.SerializeToArray(new string('x', 100) + "\udc00"));
    }

    private static bool ReadsOrFailsTyped(byte[] bytes)
    {
        try
        {
            Wire.Serializer.Deserialize<Sample>(bytes);
            Wire.Serializer.Deserialize<object>(bytes);
        }
        catch (SerializerException)
        {
        }

        return true; // any other exception escapes and fails the property
    }

    private static bool SameScalars(Sample a, Sample b) =>
        a.Int == b.Int && a.Long == b.Long && a.Text == b.Text && a.Double.Equals(b.Double) && a.Decimal == b.Decimal
        && a.Guid == b.Guid && a.Time == b.Time && a.Time.Kind == b.Time.Kind && a.Color == b.Color && a.Ints.SequenceEqual(b.Ints)
        && a.Map.Count == b.Map.Count && a.Map.All(p => b.Map[p.Key] == p.Value) && a.Tuple == b.Tuple && a.Bytes.SequenceEqual(b.Bytes)
        && a.Maybe == b.Maybe && a.Pet?.GetType() == b.Pet?.GetType() && a.Pet?.Name == b.Pet?.Name
        && (a.Child is null ? b.Child is null : b.Child is not null && SameScalars(a.Child, b.Child));

    private static Gen<string?> Text() =>
        ArbMap.Default.GeneratorFor<string?>().Where(s => s is null || !HasLoneSurrogate(s));

    private static bool HasLoneSurrogate(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static Gen<Animal?> Pet() => Gen.OneOf(
        Gen.Constant<Animal?>(null),
        from name in Text() select (Animal?)new Cat { Name = name ?? string.Empty },
        from name in Text() from weeks in ArbMap.Default.GeneratorFor<int>() select (Animal?)new Puppy { Name = name ?? "p", AgeInWeeks = weeks, GoodBoy = weeks % 2 == 0 });

    private static Gen<Sample> SampleGen(int depth) =>
        from i in ArbMap.Default.GeneratorFor<int>()
        from l in ArbMap.Default.GeneratorFor<long>()
        from text in Text()
        from d in ArbMap.Default.GeneratorFor<double>()
        from m in ArbMap.Default.GeneratorFor<decimal>()
        from g in ArbMap.Default.GeneratorFor<Guid>()
        from t in ArbMap.Default.GeneratorFor<DateTime>()
        from c in Gen.Elements(Color.Red, Color.Green, Color.Blue, (Color)77)
        from ints in ArbMap.Default.GeneratorFor<List<int>>()
        from keys in ArbMap.Default.GeneratorFor<List<long>>()
        from tupleName in Text()
        from bytes in ArbMap.Default.GeneratorFor<byte[]>()
        from pet in Pet()
        from maybe in ArbMap.Default.GeneratorFor<int?>()
        from child in depth == 0 ? Gen.Constant<Sample?>(null) : Gen.OneOf(Gen.Constant<Sample?>(null), SampleGen(depth - 1).Select(s => (Sample?)s))
        select new Sample(i, l, text, d, m, g, t, c, ints, keys.Distinct().ToDictionary(k => "k" + k, k => k), (i, tupleName), bytes, pet, maybe, child);
}
