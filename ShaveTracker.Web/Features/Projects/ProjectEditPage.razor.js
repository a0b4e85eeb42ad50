// The custom prompt can be a megabyte: it is not bound to the server on every change (a SignalR message is
// limited to 32 KB), but streamed once when the form is saved.

export function attach(textarea, counter, max) {
    const format = n => n.toLocaleString('en-US');
    const update = () => {
        const length = textarea.value.length;
        counter.textContent = `${format(length)} / ${format(max)} characters`;
        counter.classList.toggle('prompt-over', length > max);
    };
    textarea.addEventListener('input', update);
    update();
}

// UTF-16 code units, as .NET counts string length.
export function length(textarea) {
    return textarea.value.length;
}

// Streamed to .NET as an IJSStreamReference. Empty text is never asked for: zero-length streams are refused.
export function read(textarea) {
    return new TextEncoder().encode(textarea.value);
}
