"""L-BFGS en NumPy, para minimizar una función determinista de muchas variables.

Es el método cuasi-Newton de Nocedal y Wright (*Numerical Optimization*, cap. 7): guarda los
últimos ``memoria`` pares ``s = x_nuevo - x`` e ``y = g_nuevo - g`` y con ellos aproxima la inversa
de la curvatura, de modo que cada paso ya tiene dirección y longitud. La búsqueda de línea es la
más barata: prueba el paso cuasi-Newton (por ``paso``, 1 por defecto) y solo lo acorta si la
función no baja lo suficiente (condición de Armijo), así que casi siempre cuesta un gradiente por
iteración.

La dirección se calcula con la forma compacta de Byrd, Nocedal y Schnabel (1994): da el mismo
resultado que la recursión de dos bucles del libro, pero con productos de la matriz de pares en lugar
de 4·``memoria`` productos escalares sueltos. Con muchas variables lo que cuesta es leer esa matriz
de la memoria: sus productos con el gradiente nuevo se obtienen sumando los del anterior y los del
par nuevo, sin volver a leerla.

¿Por qué uno propio y no ``scipy.optimize.minimize(method="L-BFGS-B")``? Se midieron los dos con la
misma memoria, la misma pérdida y las mismas coordenadas de frecuencia en seis pares foto + estilo
(``benchmarks/velocidad_estilo.py``): este llegó antes a la pérdida del tutorial en los cinco pares
en que ambos llegan, con menos gradientes (su primer paso tentativo, ``paso``, es más largo y casi
siempre se acepta) y en menos tiempo. Las cifras están en ``benchmarks/README.md``.
"""

import numpy as np
from scipy.linalg import solve_triangular
from threadpoolctl import threadpool_limits

ARMIJO = 1e-4  # fracción de la bajada prevista por la pendiente que se exige a cada paso
RECORTES = 10  # como mucho, pasos acortados por iteración antes de rendirse y olvidar la memoria


# Los hilos de OpenBLAS se quedan girando tras cada producto y le quitan núcleos a TensorFlow, que
# calcula ``funcion`` (medido en benchmarks/README.md). Aquí, un solo hilo.
@threadpool_limits.wrap(limits=1, user_api="blas")
def minimizar_lbfgs(funcion, x, iteraciones, memoria=20, primer_paso=0.05, paso=1.0, al_iterar=None):
    """Minimiza ``funcion`` empezando en ``x`` y devuelve el último punto aceptado (NumPy float32).

    ``funcion(x) → (valor, gradiente)``: recibe una matriz NumPy de la forma de ``x`` y devuelve un
    escalar y una matriz (o tensor) de esa forma. ``primer_paso``: lo que se mueve, como mucho, cada
    componente en la primera iteración, cuando aún no hay curvatura estimada. ``paso``: longitud que
    se prueba primero en las demás iteraciones, en unidades del paso cuasi-Newton (1 es el clásico;
    más de 1 alarga los pasos cuando la curvatura estimada es más pesimista que la real). Tras cada
    iteración se llama ``al_iterar(x, valor)``; la última evaluación de ``funcion`` es siempre la del
    punto aceptado.
    """
    forma = np.shape(x)
    x = np.asarray(x, np.float32).reshape(-1)  # en vectores planos los productos son de matriz por vector

    def evaluar(x):
        valor, gradiente = funcion(x.reshape(forma))
        return float(valor), np.asarray(gradiente, np.float32).reshape(-1)

    valor, gradiente = evaluar(x)
    curvatura = _Curvatura(memoria, x.size)
    for _ in range(iteraciones):
        if curvatura.orden:
            direccion = curvatura.direccion()
            if float(gradiente @ direccion) >= 0:  # por redondeo, ya no baja: se vuelve al gradiente
                curvatura.orden.clear()
        if not curvatura.orden:
            direccion = -gradiente * (primer_paso / max(np.abs(gradiente).max(), np.finfo(np.float32).tiny))
        pendiente = float(gradiente @ direccion)

        longitud = paso if curvatura.orden else 1.0
        for _ in range(RECORTES):
            x_nuevo = x + longitud * direccion
            valor_nuevo, gradiente_nuevo = evaluar(x_nuevo)
            bajada = valor - valor_nuevo
            if bajada >= -ARMIJO * longitud * pendiente:  # Armijo: baja al menos un poco
                break
            # Mínimo de la parábola con el valor y la pendiente de partida y el valor nuevo, sin
            # acortar menos de la mitad ni más de diez veces.
            longitud *= min(0.5, max(0.1, pendiente * longitud / (2 * (bajada + longitud * pendiente))))
        else:  # ni un paso muy corto baja: no se mueve y olvida la curvatura guardada, que ya no sirve
            curvatura.orden.clear()
            valor, gradiente = evaluar(x)  # para que la última evaluación sea la del punto aceptado
            x_nuevo, valor_nuevo, gradiente_nuevo = x, valor, gradiente

        # Sin moverse, s = 0 y el par no se guarda.
        curvatura.anadir(x_nuevo - x, gradiente_nuevo - gradiente, gradiente_nuevo)
        x, valor, gradiente = x_nuevo, valor_nuevo, gradiente_nuevo
        if al_iterar:
            al_iterar(x.reshape(forma), valor)
    return x.reshape(forma)


class _Curvatura:
    """Los últimos pares ``(s, y)`` y sus productos escalares, para multiplicar el gradiente por la
    inversa de la curvatura aproximada sin recorrer los vectores uno a uno."""

    def __init__(self, memoria, dimension):
        self.memoria = memoria
        self.pares = np.zeros((2 * memoria, dimension), np.float32)  # filas: los s y después los y
        # [i, j] = s_i · y_j si el par i no es más nuevo que el j: ``direccion`` solo usa esa mitad (la R triangular
        # y la diagonal), así que el s de un par nuevo no se multiplica por los y de los que ya estaban.
        self.s_por_y = np.zeros((memoria, memoria))
        self.y_por_y = np.zeros((memoria, memoria))  # [i, j] = y_i · y_j
        self.g = np.zeros(dimension, np.float32)  # el gradiente del último anadir
        self.con_g = np.zeros(2 * memoria)  # cada fila por ese gradiente
        self.y_sumados = 0.0  # suma de ‖y‖ desde que con_g se calculó multiplicando
        self.orden = []  # filas ocupadas, del par más viejo al más nuevo

    def anadir(self, s, y, g):
        """Guarda el par si tiene curvatura positiva (si no, no daría direcciones de bajada) y prepara
        ``direccion`` para el gradiente ``g = g_anterior + y`` del punto nuevo."""
        fila = None
        if float(s @ y) > 0:
            fila = self.orden.pop(0) if len(self.orden) == self.memoria else len(self.orden)
            self.pares[fila], self.pares[self.memoria + fila] = s, y
            self.orden.append(fila)
        con_y = (self.pares @ y).astype(np.float64)  # todos los s · y y todos los y · y de una pasada
        # Los productos con g salen de sumar, filas · g = filas · g_anterior + filas · y, sin leer la
        # matriz otra vez. Las sumas arrastran el redondeo de cada y: cuando los y sumados pesan cinco
        # veces más que g (p. ej. si g se ha hecho muy pequeño), se multiplican de nuevo.
        self.y_sumados += float(np.sqrt(y @ y))
        if self.y_sumados > 5 * float(np.sqrt(g @ g)):
            self.con_g, self.y_sumados = (self.pares @ g).astype(np.float64), 0.0
        else:
            self.con_g = self.con_g + con_y
        self.g = g
        if fila is not None:  # las dos filas nuevas tenían otro par: sus productos con g, de nuevo
            self.con_g[[fila, self.memoria + fila]] = float(s @ g), float(y @ g)
            self.s_por_y[:, fila] = con_y[: self.memoria]  # con la diagonal, s·y del par nuevo
            self.y_por_y[:, fila] = self.y_por_y[fila, :] = con_y[self.memoria :]

    def direccion(self):
        """``-H·g`` para el ``g`` del último ``anadir``, con ``H = γI + [S γY]·M·[Sᵀ; γYᵀ]`` (forma
        compacta) y ``γ = sᵀy / yᵀy`` del par más nuevo.

        Con ``R`` la parte triangular superior de ``SᵀY`` y ``D`` su diagonal (pares en orden de
        llegada), ``H·g = γg + S·d − γY·c`` donde ``R·c = Sᵀg`` y ``Rᵀ·d = (D + γYᵀY)·c − γYᵀg``.
        """
        orden = np.array(self.orden)
        s_g, y_g = self.con_g[orden], self.con_g[self.memoria + orden]
        s_y, y_y = self.s_por_y[np.ix_(orden, orden)], self.y_por_y[np.ix_(orden, orden)]
        gamma = s_y[-1, -1] / y_y[-1, -1]
        r = np.triu(s_y)
        c = solve_triangular(r, s_g)
        d = solve_triangular(r, np.diag(s_y) * c + gamma * (y_y @ c) - gamma * y_g, trans="T")
        coeficientes = np.zeros(2 * self.memoria, np.float32)
        coeficientes[orden], coeficientes[self.memoria + orden] = d, -gamma * c
        return -(np.float32(gamma) * self.g + coeficientes @ self.pares)
