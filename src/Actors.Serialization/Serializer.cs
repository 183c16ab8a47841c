using System.Buffers;
using Actors.Serialization.Codecs;
using Actors.Serialization.Wire;

namespace Actors.Serialization;

/// <summary>
/// Turns values into the Actors wire format (docs/serialization.md) and back. The declared type (<c>T</c>, or the
/// <see cref="Type"/> argument) must be the same on both sides; values of derived types carry their own type.
/// </summary>
/// <remarks>Thread-safe; sessions are pooled per thread. Every failure is a <see cref="SerializerException"/>.</remarks>
public sealed class Serializer
{
    [ThreadStatic]
    private static SerializerSession? _threadSession;

    /// <summary>Creates a serializer over <paramref name="provider"/>.</summary>
    public Serializer(CodecProvider provider)
    {
        Provider = provider ?? throw new ArgumentNullException(nameof(provider));
    }

    /// <summary>Creates a serializer with default settings (generated manifests of all loaded assemblies, no JSON fallback).</summary>
    public Serializer()
        : this(new SerializerBuilder().Build())
    {
    }

    /// <summary>The codec provider.</summary>
    public CodecProvider Provider { get; }

    /// <summary>Serializes <paramref name="value"/> as a <typeparamref name="T"/> into a new array.</summary>
    /// <param name="value">The value.</param>
    /// <param name="callContext">Handed to hooks through <see cref="SerializerSession.CallContext"/>.</param>
    public byte[] SerializeToArray<T>(T value, object? callContext = null)
    {
        SerializerSession session = RentSession(callContext);
        var writer = new Writer(session);
        try
        {
            WriteMessage(ref writer, Provider.GetCodec<T>(), typeof(T), value);
            return writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.ReturnBuffer();
            ReturnSession(session);
        }
    }

    /// <summary>Serializes <paramref name="value"/> as a <typeparamref name="T"/> into <paramref name="destination"/>.</summary>
    public void Serialize<T>(T value, IBufferWriter<byte> destination, object? callContext = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        SerializerSession session = RentSession(callContext);
        var writer = new Writer(session);
        try
        {
            WriteMessage(ref writer, Provider.GetCodec<T>(), typeof(T), value);
            destination.Write(writer.WrittenSpan);
        }
        finally
        {
            writer.ReturnBuffer();
            ReturnSession(session);
        }
    }

    /// <summary>Serializes <paramref name="value"/> as a <paramref name="declaredType"/> into a new array.</summary>
    public byte[] SerializeToArray(object? value, Type declaredType, object? callContext = null)
    {
        ArgumentNullException.ThrowIfNull(declaredType);
        SerializerSession session = RentSession(callContext);
        var writer = new Writer(session);
        try
        {
            WriteMessage(ref writer, Provider.GetCodec(declaredType), declaredType, value);
            return writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.ReturnBuffer();
            ReturnSession(session);
        }
    }

    /// <summary>Deserializes a <typeparamref name="T"/> written by <see cref="SerializeToArray{T}"/>.</summary>
    public T Deserialize<T>(ReadOnlySpan<byte> source, object? callContext = null)
    {
        SerializerSession session = RentSession(callContext);
        try
        {
            var reader = new Reader(source, session);
            Field field = ReadMessageHeader(ref reader);
            T value = Provider.GetCodec<T>().ReadValue(ref reader, field);
            reader.EnsureEnd();
            return value;
        }
        finally
        {
            ReturnSession(session);
        }
    }

    /// <summary>Deserializes a <typeparamref name="T"/> from a possibly multi-segment buffer.</summary>
    public T Deserialize<T>(ReadOnlySequence<byte> source, object? callContext = null) =>
        source.IsSingleSegment ? Deserialize<T>(source.FirstSpan, callContext) : Deserialize<T>(source.ToArray(), callContext);

    /// <summary>Deserializes a value written as a <paramref name="declaredType"/>.</summary>
    public object? Deserialize(ReadOnlySpan<byte> source, Type declaredType, object? callContext = null)
    {
        ArgumentNullException.ThrowIfNull(declaredType);
        SerializerSession session = RentSession(callContext);
        try
        {
            var reader = new Reader(source, session);
            Field field = ReadMessageHeader(ref reader);
            object? value = Provider.GetCodec(declaredType).ReadValue(ref reader, field);
            reader.EnsureEnd();
            return value;
        }
        finally
        {
            ReturnSession(session);
        }
    }

    private static void WriteMessage<T>(ref Writer writer, IFieldCodec<T> codec, Type declaredType, T value)
    {
        writer.WriteByte(WireFormat.Version);
        codec.WriteField(ref writer, 0, declaredType, value);
    }

    private static void WriteMessage(ref Writer writer, IFieldCodec codec, Type declaredType, object? value)
    {
        writer.WriteByte(WireFormat.Version);
        codec.WriteField(ref writer, 0, declaredType, value);
    }

    private static Field ReadMessageHeader(ref Reader reader)
    {
        byte version = reader.ReadByte();
        if (version != WireFormat.Version)
        {
            throw reader.Error($"format version {version} is not supported (this build reads version {WireFormat.Version})");
        }

        Field field = reader.ReadFieldHeader();
        if (field.IsEnd || field.FieldIdDelta != 0)
        {
            throw reader.Error($"the message does not start with a root value ({field})");
        }

        return field;
    }

    private SerializerSession RentSession(object? callContext)
    {
        SerializerSession? session = _threadSession;
        if (session is not null && session.Provider == Provider)
        {
            _threadSession = null;
        }
        else
        {
            session = new SerializerSession(Provider);
        }

        session.CallContext = callContext;
        return session;
    }

    private static void ReturnSession(SerializerSession session)
    {
        session.Reset();
        _threadSession = session;
    }
}
