using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

// ValueTuple codecs for 1 to 8 elements. Each is the same shape; they differ only in arity (C# has no variadic generics).

/// <summary>The codec and copier of <c>ValueTuple</c> with 1 elements: an Object whose fields 0..0 are the elements.</summary>
internal sealed class ValueTupleCodec<T1>(ICodecProvider provider) : IFieldCodec<ValueTuple<T1>>, IDeepCopier<ValueTuple<T1>>
{
    private readonly IFieldCodec<T1> _codec0 = provider.GetCodec<T1>();
    private IDeepCopier<T1>? _copier0;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, ValueTuple<T1> value)
    {
        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(ValueTuple<T1>));
        _codec0.WriteField(ref writer, 0, typeof(T1), value.Item1);
        writer.WriteEndObject();
    }

    public ValueTuple<T1> ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out ValueTuple<T1> special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(ValueTuple<T1>));
        T1 item0 = default!;
        var fields = new TupleFields(typeof(ValueTuple<T1>), 1);
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            switch (id)
            {
                case 0:
                    item0 = _codec0.ReadValue(ref reader, item);
                    break;
            }
        }

        return new ValueTuple<T1>(item0);
    }

    public ValueTuple<T1> DeepCopy(ValueTuple<T1> input, CopyContext context)
    {
        return new ValueTuple<T1>(
            (_copier0 ??= provider.GetDeepCopier<T1>()).DeepCopy(input.Item1, context));
    }
}

/// <summary>The codec and copier of <c>ValueTuple</c> with 2 elements: an Object whose fields 0..1 are the elements.</summary>
internal sealed class ValueTupleCodec<T1, T2>(ICodecProvider provider) : IFieldCodec<ValueTuple<T1, T2>>, IDeepCopier<ValueTuple<T1, T2>>
{
    private readonly IFieldCodec<T1> _codec0 = provider.GetCodec<T1>();
    private readonly IFieldCodec<T2> _codec1 = provider.GetCodec<T2>();
    private IDeepCopier<T1>? _copier0;
    private IDeepCopier<T2>? _copier1;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, ValueTuple<T1, T2> value)
    {
        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(ValueTuple<T1, T2>));
        _codec0.WriteField(ref writer, 0, typeof(T1), value.Item1);
        _codec1.WriteField(ref writer, 1, typeof(T2), value.Item2);
        writer.WriteEndObject();
    }

    public ValueTuple<T1, T2> ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out ValueTuple<T1, T2> special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(ValueTuple<T1, T2>));
        T1 item0 = default!;
        T2 item1 = default!;
        var fields = new TupleFields(typeof(ValueTuple<T1, T2>), 2);
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            switch (id)
            {
                case 0:
                    item0 = _codec0.ReadValue(ref reader, item);
                    break;
                case 1:
                    item1 = _codec1.ReadValue(ref reader, item);
                    break;
            }
        }

        return new ValueTuple<T1, T2>(item0, item1);
    }

    public ValueTuple<T1, T2> DeepCopy(ValueTuple<T1, T2> input, CopyContext context)
    {
        return new ValueTuple<T1, T2>(
            (_copier0 ??= provider.GetDeepCopier<T1>()).DeepCopy(input.Item1, context),
            (_copier1 ??= provider.GetDeepCopier<T2>()).DeepCopy(input.Item2, context));
    }
}

/// <summary>The codec and copier of <c>ValueTuple</c> with 3 elements: an Object whose fields 0..2 are the elements.</summary>
internal sealed class ValueTupleCodec<T1, T2, T3>(ICodecProvider provider) : IFieldCodec<ValueTuple<T1, T2, T3>>, IDeepCopier<ValueTuple<T1, T2, T3>>
{
    private readonly IFieldCodec<T1> _codec0 = provider.GetCodec<T1>();
    private readonly IFieldCodec<T2> _codec1 = provider.GetCodec<T2>();
    private readonly IFieldCodec<T3> _codec2 = provider.GetCodec<T3>();
    private IDeepCopier<T1>? _copier0;
    private IDeepCopier<T2>? _copier1;
    private IDeepCopier<T3>? _copier2;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, ValueTuple<T1, T2, T3> value)
    {
        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(ValueTuple<T1, T2, T3>));
        _codec0.WriteField(ref writer, 0, typeof(T1), value.Item1);
        _codec1.WriteField(ref writer, 1, typeof(T2), value.Item2);
        _codec2.WriteField(ref writer, 1, typeof(T3), value.Item3);
        writer.WriteEndObject();
    }

    public ValueTuple<T1, T2, T3> ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out ValueTuple<T1, T2, T3> special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(ValueTuple<T1, T2, T3>));
        T1 item0 = default!;
        T2 item1 = default!;
        T3 item2 = default!;
        var fields = new TupleFields(typeof(ValueTuple<T1, T2, T3>), 3);
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            switch (id)
            {
                case 0:
                    item0 = _codec0.ReadValue(ref reader, item);
                    break;
                case 1:
                    item1 = _codec1.ReadValue(ref reader, item);
                    break;
                case 2:
                    item2 = _codec2.ReadValue(ref reader, item);
                    break;
            }
        }

        return new ValueTuple<T1, T2, T3>(item0, item1, item2);
    }

    public ValueTuple<T1, T2, T3> DeepCopy(ValueTuple<T1, T2, T3> input, CopyContext context)
    {
        return new ValueTuple<T1, T2, T3>(
            (_copier0 ??= provider.GetDeepCopier<T1>()).DeepCopy(input.Item1, context),
            (_copier1 ??= provider.GetDeepCopier<T2>()).DeepCopy(input.Item2, context),
            (_copier2 ??= provider.GetDeepCopier<T3>()).DeepCopy(input.Item3, context));
    }
}

/// <summary>The codec and copier of <c>ValueTuple</c> with 4 elements: an Object whose fields 0..3 are the elements.</summary>
internal sealed class ValueTupleCodec<T1, T2, T3, T4>(ICodecProvider provider) : IFieldCodec<ValueTuple<T1, T2, T3, T4>>, IDeepCopier<ValueTuple<T1, T2, T3, T4>>
{
    private readonly IFieldCodec<T1> _codec0 = provider.GetCodec<T1>();
    private readonly IFieldCodec<T2> _codec1 = provider.GetCodec<T2>();
    private readonly IFieldCodec<T3> _codec2 = provider.GetCodec<T3>();
    private readonly IFieldCodec<T4> _codec3 = provider.GetCodec<T4>();
    private IDeepCopier<T1>? _copier0;
    private IDeepCopier<T2>? _copier1;
    private IDeepCopier<T3>? _copier2;
    private IDeepCopier<T4>? _copier3;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, ValueTuple<T1, T2, T3, T4> value)
    {
        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(ValueTuple<T1, T2, T3, T4>));
        _codec0.WriteField(ref writer, 0, typeof(T1), value.Item1);
        _codec1.WriteField(ref writer, 1, typeof(T2), value.Item2);
        _codec2.WriteField(ref writer, 1, typeof(T3), value.Item3);
        _codec3.WriteField(ref writer, 1, typeof(T4), value.Item4);
        writer.WriteEndObject();
    }

    public ValueTuple<T1, T2, T3, T4> ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out ValueTuple<T1, T2, T3, T4> special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(ValueTuple<T1, T2, T3, T4>));
        T1 item0 = default!;
        T2 item1 = default!;
        T3 item2 = default!;
        T4 item3 = default!;
        var fields = new TupleFields(typeof(ValueTuple<T1, T2, T3, T4>), 4);
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            switch (id)
            {
                case 0:
                    item0 = _codec0.ReadValue(ref reader, item);
                    break;
                case 1:
                    item1 = _codec1.ReadValue(ref reader, item);
                    break;
                case 2:
                    item2 = _codec2.ReadValue(ref reader, item);
                    break;
                case 3:
                    item3 = _codec3.ReadValue(ref reader, item);
                    break;
            }
        }

        return new ValueTuple<T1, T2, T3, T4>(item0, item1, item2, item3);
    }

    public ValueTuple<T1, T2, T3, T4> DeepCopy(ValueTuple<T1, T2, T3, T4> input, CopyContext context)
    {
        return new ValueTuple<T1, T2, T3, T4>(
            (_copier0 ??= provider.GetDeepCopier<T1>()).DeepCopy(input.Item1, context),
            (_copier1 ??= provider.GetDeepCopier<T2>()).DeepCopy(input.Item2, context),
            (_copier2 ??= provider.GetDeepCopier<T3>()).DeepCopy(input.Item3, context),
            (_copier3 ??= provider.GetDeepCopier<T4>()).DeepCopy(input.Item4, context));
    }
}

/// <summary>The codec and copier of <c>ValueTuple</c> with 5 elements: an Object whose fields 0..4 are the elements.</summary>
internal sealed class ValueTupleCodec<T1, T2, T3, T4, T5>(ICodecProvider provider) : IFieldCodec<ValueTuple<T1, T2, T3, T4, T5>>, IDeepCopier<ValueTuple<T1, T2, T3, T4, T5>>
{
    private readonly IFieldCodec<T1> _codec0 = provider.GetCodec<T1>();
    private readonly IFieldCodec<T2> _codec1 = provider.GetCodec<T2>();
    private readonly IFieldCodec<T3> _codec2 = provider.GetCodec<T3>();
    private readonly IFieldCodec<T4> _codec3 = provider.GetCodec<T4>();
    private readonly IFieldCodec<T5> _codec4 = provider.GetCodec<T5>();
    private IDeepCopier<T1>? _copier0;
    private IDeepCopier<T2>? _copier1;
    private IDeepCopier<T3>? _copier2;
    private IDeepCopier<T4>? _copier3;
    private IDeepCopier<T5>? _copier4;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, ValueTuple<T1, T2, T3, T4, T5> value)
    {
        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(ValueTuple<T1, T2, T3, T4, T5>));
        _codec0.WriteField(ref writer, 0, typeof(T1), value.Item1);
        _codec1.WriteField(ref writer, 1, typeof(T2), value.Item2);
        _codec2.WriteField(ref writer, 1, typeof(T3), value.Item3);
        _codec3.WriteField(ref writer, 1, typeof(T4), value.Item4);
        _codec4.WriteField(ref writer, 1, typeof(T5), value.Item5);
        writer.WriteEndObject();
    }

    public ValueTuple<T1, T2, T3, T4, T5> ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out ValueTuple<T1, T2, T3, T4, T5> special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(ValueTuple<T1, T2, T3, T4, T5>));
        T1 item0 = default!;
        T2 item1 = default!;
        T3 item2 = default!;
        T4 item3 = default!;
        T5 item4 = default!;
        var fields = new TupleFields(typeof(ValueTuple<T1, T2, T3, T4, T5>), 5);
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            switch (id)
            {
                case 0:
                    item0 = _codec0.ReadValue(ref reader, item);
                    break;
                case 1:
                    item1 = _codec1.ReadValue(ref reader, item);
                    break;
                case 2:
                    item2 = _codec2.ReadValue(ref reader, item);
                    break;
                case 3:
                    item3 = _codec3.ReadValue(ref reader, item);
                    break;
                case 4:
                    item4 = _codec4.ReadValue(ref reader, item);
                    break;
            }
        }

        return new ValueTuple<T1, T2, T3, T4, T5>(item0, item1, item2, item3, item4);
    }

    public ValueTuple<T1, T2, T3, T4, T5> DeepCopy(ValueTuple<T1, T2, T3, T4, T5> input, CopyContext context)
    {
        return new ValueTuple<T1, T2, T3, T4, T5>(
            (_copier0 ??= provider.GetDeepCopier<T1>()).DeepCopy(input.Item1, context),
            (_copier1 ??= provider.GetDeepCopier<T2>()).DeepCopy(input.Item2, context),
            (_copier2 ??= provider.GetDeepCopier<T3>()).DeepCopy(input.Item3, context),
            (_copier3 ??= provider.GetDeepCopier<T4>()).DeepCopy(input.Item4, context),
            (_copier4 ??= provider.GetDeepCopier<T5>()).DeepCopy(input.Item5, context));
    }
}

/// <summary>The codec and copier of <c>ValueTuple</c> with 6 elements: an Object whose fields 0..5 are the elements.</summary>
internal sealed class ValueTupleCodec<T1, T2, T3, T4, T5, T6>(ICodecProvider provider) : IFieldCodec<ValueTuple<T1, T2, T3, T4, T5, T6>>, IDeepCopier<ValueTuple<T1, T2, T3, T4, T5, T6>>
{
    private readonly IFieldCodec<T1> _codec0 = provider.GetCodec<T1>();
    private readonly IFieldCodec<T2> _codec1 = provider.GetCodec<T2>();
    private readonly IFieldCodec<T3> _codec2 = provider.GetCodec<T3>();
    private readonly IFieldCodec<T4> _codec3 = provider.GetCodec<T4>();
    private readonly IFieldCodec<T5> _codec4 = provider.GetCodec<T5>();
    private readonly IFieldCodec<T6> _codec5 = provider.GetCodec<T6>();
    private IDeepCopier<T1>? _copier0;
    private IDeepCopier<T2>? _copier1;
    private IDeepCopier<T3>? _copier2;
    private IDeepCopier<T4>? _copier3;
    private IDeepCopier<T5>? _copier4;
    private IDeepCopier<T6>? _copier5;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, ValueTuple<T1, T2, T3, T4, T5, T6> value)
    {
        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(ValueTuple<T1, T2, T3, T4, T5, T6>));
        _codec0.WriteField(ref writer, 0, typeof(T1), value.Item1);
        _codec1.WriteField(ref writer, 1, typeof(T2), value.Item2);
        _codec2.WriteField(ref writer, 1, typeof(T3), value.Item3);
        _codec3.WriteField(ref writer, 1, typeof(T4), value.Item4);
        _codec4.WriteField(ref writer, 1, typeof(T5), value.Item5);
        _codec5.WriteField(ref writer, 1, typeof(T6), value.Item6);
        writer.WriteEndObject();
    }

    public ValueTuple<T1, T2, T3, T4, T5, T6> ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out ValueTuple<T1, T2, T3, T4, T5, T6> special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(ValueTuple<T1, T2, T3, T4, T5, T6>));
        T1 item0 = default!;
        T2 item1 = default!;
        T3 item2 = default!;
        T4 item3 = default!;
        T5 item4 = default!;
        T6 item5 = default!;
        var fields = new TupleFields(typeof(ValueTuple<T1, T2, T3, T4, T5, T6>), 6);
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            switch (id)
            {
                case 0:
                    item0 = _codec0.ReadValue(ref reader, item);
                    break;
                case 1:
                    item1 = _codec1.ReadValue(ref reader, item);
                    break;
                case 2:
                    item2 = _codec2.ReadValue(ref reader, item);
                    break;
                case 3:
                    item3 = _codec3.ReadValue(ref reader, item);
                    break;
                case 4:
                    item4 = _codec4.ReadValue(ref reader, item);
                    break;
                case 5:
                    item5 = _codec5.ReadValue(ref reader, item);
                    break;
            }
        }

        return new ValueTuple<T1, T2, T3, T4, T5, T6>(item0, item1, item2, item3, item4, item5);
    }

    public ValueTuple<T1, T2, T3, T4, T5, T6> DeepCopy(ValueTuple<T1, T2, T3, T4, T5, T6> input, CopyContext context)
    {
        return new ValueTuple<T1, T2, T3, T4, T5, T6>(
            (_copier0 ??= provider.GetDeepCopier<T1>()).DeepCopy(input.Item1, context),
            (_copier1 ??= provider.GetDeepCopier<T2>()).DeepCopy(input.Item2, context),
            (_copier2 ??= provider.GetDeepCopier<T3>()).DeepCopy(input.Item3, context),
            (_copier3 ??= provider.GetDeepCopier<T4>()).DeepCopy(input.Item4, context),
            (_copier4 ??= provider.GetDeepCopier<T5>()).DeepCopy(input.Item5, context),
            (_copier5 ??= provider.GetDeepCopier<T6>()).DeepCopy(input.Item6, context));
    }
}

/// <summary>The codec and copier of <c>ValueTuple</c> with 7 elements: an Object whose fields 0..6 are the elements.</summary>
internal sealed class ValueTupleCodec<T1, T2, T3, T4, T5, T6, T7>(ICodecProvider provider) : IFieldCodec<ValueTuple<T1, T2, T3, T4, T5, T6, T7>>, IDeepCopier<ValueTuple<T1, T2, T3, T4, T5, T6, T7>>
{
    private readonly IFieldCodec<T1> _codec0 = provider.GetCodec<T1>();
    private readonly IFieldCodec<T2> _codec1 = provider.GetCodec<T2>();
    private readonly IFieldCodec<T3> _codec2 = provider.GetCodec<T3>();
    private readonly IFieldCodec<T4> _codec3 = provider.GetCodec<T4>();
    private readonly IFieldCodec<T5> _codec4 = provider.GetCodec<T5>();
    private readonly IFieldCodec<T6> _codec5 = provider.GetCodec<T6>();
    private readonly IFieldCodec<T7> _codec6 = provider.GetCodec<T7>();
    private IDeepCopier<T1>? _copier0;
    private IDeepCopier<T2>? _copier1;
    private IDeepCopier<T3>? _copier2;
    private IDeepCopier<T4>? _copier3;
    private IDeepCopier<T5>? _copier4;
    private IDeepCopier<T6>? _copier5;
    private IDeepCopier<T7>? _copier6;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, ValueTuple<T1, T2, T3, T4, T5, T6, T7> value)
    {
        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(ValueTuple<T1, T2, T3, T4, T5, T6, T7>));
        _codec0.WriteField(ref writer, 0, typeof(T1), value.Item1);
        _codec1.WriteField(ref writer, 1, typeof(T2), value.Item2);
        _codec2.WriteField(ref writer, 1, typeof(T3), value.Item3);
        _codec3.WriteField(ref writer, 1, typeof(T4), value.Item4);
        _codec4.WriteField(ref writer, 1, typeof(T5), value.Item5);
        _codec5.WriteField(ref writer, 1, typeof(T6), value.Item6);
        _codec6.WriteField(ref writer, 1, typeof(T7), value.Item7);
        writer.WriteEndObject();
    }

    public ValueTuple<T1, T2, T3, T4, T5, T6, T7> ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out ValueTuple<T1, T2, T3, T4, T5, T6, T7> special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(ValueTuple<T1, T2, T3, T4, T5, T6, T7>));
        T1 item0 = default!;
        T2 item1 = default!;
        T3 item2 = default!;
        T4 item3 = default!;
        T5 item4 = default!;
        T6 item5 = default!;
        T7 item6 = default!;
        var fields = new TupleFields(typeof(ValueTuple<T1, T2, T3, T4, T5, T6, T7>), 7);
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            switch (id)
            {
                case 0:
                    item0 = _codec0.ReadValue(ref reader, item);
                    break;
                case 1:
                    item1 = _codec1.ReadValue(ref reader, item);
                    break;
                case 2:
                    item2 = _codec2.ReadValue(ref reader, item);
                    break;
                case 3:
                    item3 = _codec3.ReadValue(ref reader, item);
                    break;
                case 4:
                    item4 = _codec4.ReadValue(ref reader, item);
                    break;
                case 5:
                    item5 = _codec5.ReadValue(ref reader, item);
                    break;
                case 6:
                    item6 = _codec6.ReadValue(ref reader, item);
                    break;
            }
        }

        return new ValueTuple<T1, T2, T3, T4, T5, T6, T7>(item0, item1, item2, item3, item4, item5, item6);
    }

    public ValueTuple<T1, T2, T3, T4, T5, T6, T7> DeepCopy(ValueTuple<T1, T2, T3, T4, T5, T6, T7> input, CopyContext context)
    {
        return new ValueTuple<T1, T2, T3, T4, T5, T6, T7>(
            (_copier0 ??= provider.GetDeepCopier<T1>()).DeepCopy(input.Item1, context),
            (_copier1 ??= provider.GetDeepCopier<T2>()).DeepCopy(input.Item2, context),
            (_copier2 ??= provider.GetDeepCopier<T3>()).DeepCopy(input.Item3, context),
            (_copier3 ??= provider.GetDeepCopier<T4>()).DeepCopy(input.Item4, context),
            (_copier4 ??= provider.GetDeepCopier<T5>()).DeepCopy(input.Item5, context),
            (_copier5 ??= provider.GetDeepCopier<T6>()).DeepCopy(input.Item6, context),
            (_copier6 ??= provider.GetDeepCopier<T7>()).DeepCopy(input.Item7, context));
    }
}

/// <summary>The codec and copier of <c>ValueTuple</c> with 8 elements: an Object whose fields 0..7 are the elements.</summary>
internal sealed class ValueTupleCodec<T1, T2, T3, T4, T5, T6, T7, TRest>(ICodecProvider provider) : IFieldCodec<ValueTuple<T1, T2, T3, T4, T5, T6, T7, TRest>>, IDeepCopier<ValueTuple<T1, T2, T3, T4, T5, T6, T7, TRest>>
    where TRest : struct
{
    // The ValueTuple constructor requires TRest to be a ValueTuple; refuse any other (data can name any struct here).
    private readonly bool _restIsTuple = typeof(TRest).IsGenericType && typeof(TRest).FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal)
        ? true
        : throw new CodecNotFoundException(typeof(ValueTuple<T1, T2, T3, T4, T5, T6, T7, TRest>));

    private readonly IFieldCodec<T1> _codec0 = provider.GetCodec<T1>();
    private readonly IFieldCodec<T2> _codec1 = provider.GetCodec<T2>();
    private readonly IFieldCodec<T3> _codec2 = provider.GetCodec<T3>();
    private readonly IFieldCodec<T4> _codec3 = provider.GetCodec<T4>();
    private readonly IFieldCodec<T5> _codec4 = provider.GetCodec<T5>();
    private readonly IFieldCodec<T6> _codec5 = provider.GetCodec<T6>();
    private readonly IFieldCodec<T7> _codec6 = provider.GetCodec<T7>();
    private readonly IFieldCodec<TRest> _codec7 = provider.GetCodec<TRest>();
    private IDeepCopier<T1>? _copier0;
    private IDeepCopier<T2>? _copier1;
    private IDeepCopier<T3>? _copier2;
    private IDeepCopier<T4>? _copier3;
    private IDeepCopier<T5>? _copier4;
    private IDeepCopier<T6>? _copier5;
    private IDeepCopier<T7>? _copier6;
    private IDeepCopier<TRest>? _copier7;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, ValueTuple<T1, T2, T3, T4, T5, T6, T7, TRest> value)
    {
        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(ValueTuple<T1, T2, T3, T4, T5, T6, T7, TRest>));
        _codec0.WriteField(ref writer, 0, typeof(T1), value.Item1);
        _codec1.WriteField(ref writer, 1, typeof(T2), value.Item2);
        _codec2.WriteField(ref writer, 1, typeof(T3), value.Item3);
        _codec3.WriteField(ref writer, 1, typeof(T4), value.Item4);
        _codec4.WriteField(ref writer, 1, typeof(T5), value.Item5);
        _codec5.WriteField(ref writer, 1, typeof(T6), value.Item6);
        _codec6.WriteField(ref writer, 1, typeof(T7), value.Item7);
        _codec7.WriteField(ref writer, 1, typeof(TRest), value.Rest);
        writer.WriteEndObject();
    }

    public ValueTuple<T1, T2, T3, T4, T5, T6, T7, TRest> ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out ValueTuple<T1, T2, T3, T4, T5, T6, T7, TRest> special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(ValueTuple<T1, T2, T3, T4, T5, T6, T7, TRest>));
        T1 item0 = default!;
        T2 item1 = default!;
        T3 item2 = default!;
        T4 item3 = default!;
        T5 item4 = default!;
        T6 item5 = default!;
        T7 item6 = default!;
        TRest item7 = default!;
        var fields = new TupleFields(typeof(ValueTuple<T1, T2, T3, T4, T5, T6, T7, TRest>), 8);
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            switch (id)
            {
                case 0:
                    item0 = _codec0.ReadValue(ref reader, item);
                    break;
                case 1:
                    item1 = _codec1.ReadValue(ref reader, item);
                    break;
                case 2:
                    item2 = _codec2.ReadValue(ref reader, item);
                    break;
                case 3:
                    item3 = _codec3.ReadValue(ref reader, item);
                    break;
                case 4:
                    item4 = _codec4.ReadValue(ref reader, item);
                    break;
                case 5:
                    item5 = _codec5.ReadValue(ref reader, item);
                    break;
                case 6:
                    item6 = _codec6.ReadValue(ref reader, item);
                    break;
                case 7:
                    item7 = _codec7.ReadValue(ref reader, item);
                    break;
            }
        }

        return new ValueTuple<T1, T2, T3, T4, T5, T6, T7, TRest>(item0, item1, item2, item3, item4, item5, item6, item7);
    }

    public ValueTuple<T1, T2, T3, T4, T5, T6, T7, TRest> DeepCopy(ValueTuple<T1, T2, T3, T4, T5, T6, T7, TRest> input, CopyContext context)
    {
        return new ValueTuple<T1, T2, T3, T4, T5, T6, T7, TRest>(
            (_copier0 ??= provider.GetDeepCopier<T1>()).DeepCopy(input.Item1, context),
            (_copier1 ??= provider.GetDeepCopier<T2>()).DeepCopy(input.Item2, context),
            (_copier2 ??= provider.GetDeepCopier<T3>()).DeepCopy(input.Item3, context),
            (_copier3 ??= provider.GetDeepCopier<T4>()).DeepCopy(input.Item4, context),
            (_copier4 ??= provider.GetDeepCopier<T5>()).DeepCopy(input.Item5, context),
            (_copier5 ??= provider.GetDeepCopier<T6>()).DeepCopy(input.Item6, context),
            (_copier6 ??= provider.GetDeepCopier<T7>()).DeepCopy(input.Item7, context),
            (_copier7 ??= provider.GetDeepCopier<TRest>()).DeepCopy(input.Rest, context));
    }
}
