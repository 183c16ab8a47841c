using System.Buffers;
using System.Runtime.CompilerServices;
using Actors.Serialization.Wire;

namespace Actors.Serialization;

/// <summary>
/// The state of one serialization or deserialization: objects and types seen so far in the message (for references
/// and type back-references), the nesting depth, the codec provider and the caller's context object. Pooled by
/// <see cref="Serializer"/>; codecs reach it through <see cref="Writer.Session"/> and <see cref="Reader.Session"/>.
/// </summary>
/// <remarks>Not thread-safe; used by one call at a time.</remarks>
public sealed class SerializerSession
{
    private const int InitialBufferBytes = 512;
    private const int MaxRetainedBufferBytes = 64 * 1024;

    // The first objects of a message are remembered in a small array (a linear scan beats hashing for typical
    // messages); from the ninth on, all of them are also in the dictionary.
    private const int InlineObjects = 8;

    private readonly object?[] _inlineObjects = new object?[InlineObjects];
    private readonly uint[] _inlineIds = new uint[InlineObjects];
    private readonly Dictionary<object, uint> _writtenObjects = new(ReferenceEqualityComparer.Instance);
    private int _inlineCount;
    private readonly Dictionary<Type, uint> _writtenTypes = [];
    private readonly List<TypeEntry> _readTypes = [];
    private object?[] _readObjects = new object?[8];
    private byte[]? _writeBuffer;
    private uint _nextObjectId;
    private int _depth;

    internal SerializerSession(CodecProvider provider)
    {
        Provider = provider;
    }

    /// <summary>The codec provider of this serializer.</summary>
    public ICodecProvider CodecProvider => Provider;

    /// <summary>
    /// The context object the caller passed to <c>Serialize</c>/<c>Deserialize</c> (for example the connection a call
    /// arrived on); hooks such as <see cref="ICancellationTokenBridge"/> receive it. Null when none was passed.
    /// </summary>
    public object? CallContext { get; internal set; }

    internal CodecProvider Provider { get; }

    /// <summary>An exception whose Exception layer the exception codec already read (see <c>ExceptionCodec.DeserializeBaseLayer</c>).</summary>
    internal object? PendingExceptionLayer { get; set; }

    /// <summary>
    /// Records that the Object just started took the next object id; <paramref name="instance"/>, when given, is remembered
    /// so later occurrences are written as references. Returns the id.
    /// </summary>
    internal uint EnterObject(object? instance)
    {
        if (++_depth > Provider.MaxDepth)
        {
            throw new MaxDepthExceededException(Provider.MaxDepth);
        }

        uint id = _nextObjectId++;
        if (instance is not null)
        {
            if (_inlineCount < InlineObjects)
            {
                _inlineObjects[_inlineCount] = instance;
                _inlineIds[_inlineCount++] = id;
            }
            else
            {
                if (_writtenObjects.Count == 0)
                {
                    for (int i = 0; i < InlineObjects; i++)
                    {
                        _writtenObjects[_inlineObjects[i]!] = _inlineIds[i];
                    }
                }

                _writtenObjects[instance] = id;
            }
        }

        return id;
    }

    internal void ExitObject() => _depth--;

    internal bool TryGetWrittenObject(object value, out uint objectId)
    {
        if (_writtenObjects.Count != 0)
        {
            return _writtenObjects.TryGetValue(value, out objectId);
        }

        for (int i = 0; i < _inlineCount; i++)
        {
            if (ReferenceEquals(_inlineObjects[i], value))
            {
                objectId = _inlineIds[i];
                return true;
            }
        }

        objectId = 0;
        return false;
    }

    internal bool TryGetWrittenType(Type type, out uint index)
    {
        if (_writtenTypes.Count == 0)
        {
            index = 0;
            return false;
        }

        return _writtenTypes.TryGetValue(type, out index);
    }

    internal void AddWrittenType(Type type) => _writtenTypes[type] = (uint)_writtenTypes.Count;

    /// <summary>Remembers the object materialized for the Object value with id <paramref name="objectId"/>.</summary>
    /// <remarks>Call it as soon as the instance exists (before reading its fields) so references inside it resolve.</remarks>
    public void RecordObject(uint objectId, object value)
    {
        if (objectId >= _readObjects.Length)
        {
            Array.Resize(ref _readObjects, Math.Max((int)objectId + 1, _readObjects.Length * 2));
        }

        _readObjects[objectId] = value;
    }

    /// <summary>Returns the object a Reference names, checked against the type the reader expects.</summary>
    /// <exception cref="ReferenceNotFoundException">The object was not materialized.</exception>
    /// <exception cref="WireFormatException">The object is not a <typeparamref name="T"/>.</exception>
    public T GetReferencedObject<T>(uint objectId, long offset)
    {
        object? value = objectId < _readObjects.Length ? _readObjects[objectId] : null;
        if (value is null || objectId >= _nextObjectId)
        {
            throw new ReferenceNotFoundException(objectId, typeof(T), offset);
        }

        if (value is not T typed)
        {
            throw new WireFormatException(
                $"reference to object #{objectId} of type '{TypeNames.Display(value.GetType())}' where a '{TypeNames.Display(typeof(T))}' was expected", offset);
        }

        return typed;
    }

    internal TypeEntry GetReadType(uint index, long offset) =>
        index < (uint)_readTypes.Count ? _readTypes[(int)index] : throw new WireFormatException($"type back-reference {index} names no earlier type", offset);

    internal void AddReadType(TypeEntry entry) => _readTypes.Add(entry);

    internal byte[] TakeWriteBuffer()
    {
        byte[] buffer = _writeBuffer ?? ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        _writeBuffer = null;
        return buffer;
    }

    internal void ReturnWriteBuffer(byte[] buffer)
    {
        if (buffer.Length <= MaxRetainedBufferBytes)
        {
            _writeBuffer = buffer;
        }
        else
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static void ReleaseGrownBuffer(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);

    /// <summary>Forgets everything about the last message (the session is reused for the next).</summary>
    internal void Reset()
    {
        if (_writtenObjects.Count != 0)
        {
            _writtenObjects.Clear();
        }

        if (_inlineCount != 0)
        {
            Array.Clear(_inlineObjects, 0, _inlineCount);
            _inlineCount = 0;
        }

        if (_writtenTypes.Count != 0)
        {
            _writtenTypes.Clear();
        }

        if (_readTypes.Count != 0)
        {
            _readTypes.Clear();
        }

        if (_nextObjectId != 0)
        {
            Array.Clear(_readObjects, 0, (int)Math.Min(_nextObjectId, (uint)_readObjects.Length));
        }

        _nextObjectId = 0;
        _depth = 0;
        CallContext = null;
        PendingExceptionLayer = null;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint PeekNextObjectId() => _nextObjectId;
}
