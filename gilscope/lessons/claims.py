"""The ten claims of the study notes, in the notes' own words, and what each lesson's experiment does.

claim_uk is quoted from shared/seeds/000_37474837d99b6d77.txt with only the markup removed (bold, backticks,
wiki links, callout markers), so the page shows exactly what the student wrote; claim_en follows the English
rendering beside it. The tests check that every Ukrainian quote is found in the notes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Claim:
    title_en: str
    title_uk: str
    claim_en: str
    claim_uk: str
    experiment_en: str
    experiment_uk: str


CLAIMS: dict[str, Claim] = {
    "C1": Claim(
        "One thread at a time, whatever the cores",
        "Один потік за раз, скільки б не було ядер",
        "The GIL can serve only one thread of a Python program at any moment: only one thread can execute Python "
        "code, and this does not depend on the number of processor cores.",
        "GIL може обслуговувати тільки один потік програми на Python в кожен момент часу. Це означає, що тільки "
        "один потік може виконувати Python-код, і від числа процесорних ядер це не залежить.",
        "One, two and four pure-Python threads run for the same time. If the claim holds, the cores used stay "
        "near 1 however many threads there are; above 1.3 cores the threads ran in parallel.",
        "Один, два і чотири потоки на чистому Python працюють однаковий час. Якщо твердження правдиве, "
        "використані ядра лишаються біля 1 за будь-якої кількості потоків; понад 1,3 ядра означає, що потоки "
        "працювали паралельно."),
    "C2": Claim(
        "The interpreter switches every 5 ms",
        "Інтерпретатор перемикає потоки кожні 5 мс",
        "To keep a Python thread from holding the GIL forever, the bytecode interpreter periodically (by default "
        "every 5 milliseconds) suspends the current thread and so releases the GIL. The thread may try to take the "
        "GIL again, but if other threads are waiting for it, the OS scheduler may pick one of them.",
        "Щоб перешкодити потоку Python утримувати GIL нескінченно, інтерпретатор байт-коду Python періодично "
        "(за замовчуванням раз на 5 мілісекунд) призупиняє поточний потік і тим самим звільняє GIL. Потік може "
        "спробувати знову захопити GIL, але якщо на нього чекають інші потоки, то планувальник ОС, можливо, "
        "вибере один із них.",
        "Two CPU-bound threads at the default interval of 5 ms, then one such thread alone. The median time one "
        "thread holds the GIL is compared with the interval, and the lone thread's hand-offs are counted.",
        "Два потоки з обчисленнями за типового інтервалу 5 мс, потім один такий потік сам. Медіанний час "
        "утримання GIL одним потоком порівнюється з інтервалом, а для самотнього потоку рахуються передачі GIL."),
    "C3": Claim(
        "Single-threaded code beats threads",
        "Лінійна програма швидша за потоки",
        "Since the GIL serves only one thread anyway, linear (single-threaded) programs run faster, because the OS "
        "spends extra resources on switching thread contexts.",
        "Так як GIL в любому випадку обслуговує тільки один потік, лінійні програми будуть виконуватись швидше, "
        "тому що ОС тратить додаткові ресурси для переключення контексту потоків.",
        "The same pure-Python work runs in 2 and 4 threads and then sequentially in one, at 5 ms and at 0.1 ms. "
        "The threaded-to-sequential wall-time ratio decides: above 1.3 threads are clearly slower, below 0.85 "
        "they are faster.",
        "Та сама робота на чистому Python виконується у 2 і 4 потоках, а потім послідовно в одному, за 5 мс і за "
        "0,1 мс. Вирішує відношення часу потоків до послідовного часу: понад 1,3 потоки явно повільніші, менше "
        "0,85 вони швидші."),
    "C4": Claim(
        "Exceptions: I/O, and C code with its own threads",
        "Винятки: введення-виведення і код на C з власними потоками",
        "The exceptions are I/O operations and C code that itself starts several threads for CPU-bound "
        "computations.",
        "Винятком є дії вводу-виводу (I/O), та скрипти на С, які уже в себе в тілі розкривають декілька потоків "
        "для виконання CPU-bound обчислень.",
        "One Python thread multiplies matrices with NumPy, with BLAS allowed one thread and then two; two "
        "sleeping threads stand for I/O. More than 1.3 cores from a single Python thread shows the C exception.",
        "Один потік Python перемножує матриці в NumPy, спершу з одним потоком BLAS, потім з двома; два "
        "сплячі потоки представляють введення-виведення. Понад 1,3 ядра від одного потоку Python показують "
        "виняток для коду на C."),
    "C5": Claim(
        "The developer cannot influence the GIL",
        "Розробник не може впливати на GIL",
        "The developer cannot influence how the GIL works in any way.",
        "Розробник не може ніяк впливати на роботу GIL.",
        "Three levers are tried: sys.setswitchinterval (a sleeper beside a CPU-bound thread at 5 ms and 0.1 ms), "
        "a C call that releases the GIL (hashlib on 64 KiB vs 1 KiB), and a free-threaded interpreter where one "
        "is installed. Each lever that changes the measurement by a clear factor counts against the claim.",
        "Випробовуються три важелі: sys.setswitchinterval (сплячий потік поруч із потоком обчислень за 5 мс і "
        "за 0,1 мс), виклик на C, що звільняє GIL (hashlib на 64 КіБ проти 1 КіБ), та інтерпретатор без GIL, "
        "якщо його встановлено. Кожен важіль, що помітно змінює вимірювання, свідчить проти твердження."),
    "C6": Claim(
        "System calls release the GIL: disk, network, sleep",
        "Системні виклики звільняють GIL: диск, мережа, сон",
        "Any standard-library function that makes a system call releases the GIL: all functions doing disk I/O, "
        "network I/O, and time.sleep().",
        "Будь-яка стандартна бібліотечна функція Python, що робить системний виклик, звільняє GIL. Сюди належать "
        "усі функції, що виконують дискове введення-виведення, мережеве введення-виведення, а також time.sleep().",
        "A sleeping thread, a file thread and a socket thread run beside one CPU-bound thread at 5 ms, then "
        "alone. They must keep progressing; their wake latency (from the moment a call could return to the "
        "moment the thread runs Python again) shows what each release costs.",
        "Сплячий потік, файловий потік і мережевий потік працюють поруч з одним потоком обчислень за 5 мс, "
        "потім самі. Вони мають просуватися далі; їхня затримка пробудження (від миті, коли виклик міг "
        "повернутися, до миті, коли потік знову виконує Python) показує ціну кожного звільнення."),
    "C7": Claim(
        "NumPy, zlib, bz2 and hashlib release the GIL",
        "NumPy, zlib, bz2 і hashlib звільняють GIL",
        "Many numeric functions in NumPy/SciPy, and the compression/decompression functions of the zlib and bz2 "
        "modules also release the GIL. Some heavy computations written in pure C, and the hashlib library, "
        "release the GIL too.",
        "Багато лічильних функцій у бібліотеках NumPy/SciPy, а також функції стиснення і розпакування з модулів "
        "zlib і bz2 також звільняють GIL. Деякі важкі обчислення написані на чистому C і бібліотека hashlib теж "
        "звільняють GIL.",
        "Two threads of each kind: NumPy, zlib, bz2, hashlib on 64 KiB and on 1 KiB calls, with sorted, re and "
        "json as C code that keeps the GIL. A kind releases the GIL when its two threads use more than 1.4 cores.",
        "По два потоки кожного виду: NumPy, zlib, bz2, hashlib викликами по 64 КіБ і по 1 КіБ, а для "
        "порівняння sorted, re і json як код на C, що тримає GIL. Вид звільняє GIL, коли два його потоки "
        "використовують понад 1,4 ядра."),
    "C8": Claim(
        "Network apps hardly depend on the GIL",
        "Мережеві застосунки майже не залежать від GIL",
        "Since network I/O releases the GIL and is clearly slower than I/O to the process's own memory, "
        "programming networked applications in Python in multithreaded mode practically does not depend on the "
        "GIL.",
        "Так як мережеве введення-виведення звільняє GIL, та є однозначно повільнішим чим введення-виведення в "
        "власну пам'ять, програмування мережевих застосунків на Python в мультипотоковому режимі практично не "
        "залежить від GIL.",
        "A threaded echo server (4 threads) answers a load generator in another process, beside 0, 1 or 2 "
        "CPU-bound threads, at 0.1, 1 and 5 ms. The claim holds if one CPU thread costs the server less than "
        "half its requests per second.",
        "Багатопотоковий ехо-сервер (4 потоки) відповідає генератору навантаження з іншого процесу поруч із 0, "
        "1 або 2 потоками обчислень, за 0,1, 1 і 5 мс. Твердження справджується, якщо один потік обчислень "
        "забирає в сервера менше половини запитів за секунду."),
    "C9": Claim(
        "The GIL protects reference counts from races",
        "GIL захищає лічильники посилань від гонки",
        "The first factor is the garbage collector. It checks the reference-count field of Python objects; under "
        "a race condition this field could be modified (incremented or decremented) by several threads at once. "
        "The GIL prevents that.",
        "Першим фактором в важливості роботи GIL є робота збиральника мусору. Так як збиральник мусору перевіряє "
        "поле refference_count в об'єктах Python, в умовах гонки це поле може бути модифіковане (інкремент чи "
        "декремент) одночасно декількома процесами, тобто процеси перебуватимуть в умові гонки. GIL запобігає "
        "такій ситуації.",
        "Threads churn references to one shared object and increment a shared counter with a read and a write "
        "separated by a function call, at 5 ms and at 0.05 ms. The object's reference count must come back "
        "unchanged; lost increments show what the GIL does not protect.",
        "Потоки безперервно створюють і прибирають посилання на один спільний об'єкт і збільшують спільний "
        "лічильник, між читанням і записом якого стоїть виклик функції, за 5 мс і за 0,05 мс. Лічильник "
        "посилань об'єкта має повернутися незмінним; втрачені збільшення показують, чого GIL не захищає."),
    "C10": Claim(
        "The GIL keeps C extensions simple; they may release it",
        "GIL спрощує розширення на C; вони можуть його відпустити",
        "The second factor: the GIL makes writing C extensions simpler. Authors may assume that only one thread "
        "runs their extension at any moment, so they need no extra locking to make the code thread-safe. When "
        "they want to run code in parallel, they can release the GIL.",
        "Другий фактор - GIL спрощує написання розширень на C. Розробники можуть припустити, що тільки один "
        "потік запускає їхнє розширення C у будь-який момент часу. Таким чином, їм не потрібно використовувати "
        "додаткове блокування, щоб зробити код потокобезпечним. Коли вони захочуть запустити код паралельно, "
        "вони можуть відпустити GIL.",
        "A CPU-bound Python thread runs alone, then beside a C call that keeps the GIL (re; hashlib on 1 KiB) and "
        "beside one that releases it (zlib; hashlib on 64 KiB). The Python thread's speed, as a share of its "
        "speed alone, shows whether the C call let it run.",
        "Потік обчислень на Python працює сам, потім поруч із викликом на C, що тримає GIL (re; hashlib по "
        "1 КіБ), і поруч з тим, що його звільняє (zlib; hashlib по 64 КіБ). Швидкість потоку Python як частка "
        "його швидкості наодинці показує, чи дав йому виклик на C працювати."),
}
