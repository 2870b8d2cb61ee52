"""The lesson index's cards and the lessons' closing links in Japanese and German (data for nnteach.lessons).

The titles follow :data:`nnteach.lessons.LESSONS` in order; English is the source.
"""

from __future__ import annotations

# The cards' titles and sentences in the translated folders, in the order of LESSONS.
TRANSLATED_CARDS: dict[str, tuple[tuple[str, str], ...]] = {
    "ja": (
        (
            "1 · パーセプトロン",
            "重み付きの和としきい値で「犬か猫か」を決めます。重みを動かして、線の動きを見てみましょう。",
        ),
        ("2 · MNIST の手書き数字", "70,000 枚の手書き数字は 28×28 の数の表。眺めて、数えて、one-hot 表現にします。"),
        (
            "3 · ソフトマックス回帰",
            "10 個のニューロンの1層：ロジット、ソフトマックス、argmax、ニューロンが学ぶ 10 枚のテンプレート。",
        ),
        (
            "4 · 多層パーセプトロン",
            "層を重ね、101,770 個のパラメーターを数え、学習させ、ネットワークが間違える数字を見ます。",
        ),
        ("5 · 活性化関数", "ステップ、シグモイド、ReLU とその仲間、勾配消失、ソフトマックスと交差エントロピー。"),
        ("6 · ドロップアウトと過学習", "5つのドロップアウト率を並べて比べ、検証損失から丸暗記の始まりを見つけます。"),
        (
            "7 · 数字を描いてみよう",
            "数字を描いて、ネットワークに見えているものを見る。クラスのみんなの字でも試します。",
        ),
        (
            "8 · パターンを学ぶネットワークを、ライブで",
            "平面上の点と小さなネットワークで Start。境界が曲がる様子と、XOR に隠れ層が要る理由を見ます。",
        ),
        (
            "9 · ネットワークは何を学んだのか",
            "128 個のニューロンを絵で、あなたの数字の中身、見ている場所、そしてわざとだます方法。",
        ),
    ),
    "de": (
        (
            "1 · Das Perzeptron",
            "Eine gewichtete Summe und eine Schwelle entscheiden: Hund oder Katze? Verschieb die Gewichte.",
        ),
        (
            "2 · Die MNIST-Ziffern",
            "70.000 handgeschriebene Ziffern als 28×28-Zahlengitter: durchblättern, zählen, one-hot kodieren.",
        ),
        (
            "3 · Softmax-Regression",
            "Eine Schicht aus zehn Neuronen: Logits, Softmax, Argmax und die zehn gelernten Schablonen.",
        ),
        (
            "4 · Das mehrschichtige Perzeptron",
            "Schichten stapeln, 101.770 Parameter zählen, trainieren und die Fehler des Netzes ansehen.",
        ),
        (
            "5 · Aktivierungsfunktionen",
            "Stufe, Sigmoid, ReLU und Co., verschwindende Gradienten, Softmax und Kreuzentropie.",
        ),
        (
            "6 · Dropout und Überanpassung",
            "Fünf Dropout-Raten nebeneinander: Der Validierungsverlust zeigt, wann ein Netz auswendig lernt.",
        ),
        (
            "7 · Zeichne deine Ziffer",
            "Zeichne eine Ziffer und sieh, was das Netz sieht — dann teste es an der Handschrift deiner Klasse.",
        ),
        (
            "8 · Ein Netz lernt ein Muster, live",
            "Punkte in der Ebene, ein kleines Netz, Start: Grenzen biegen sich, XOR braucht eine verdeckte Schicht.",
        ),
        (
            "9 · Was das Netz gelernt hat",
            "Seine 128 Neuronen als Bilder, deine Ziffer darin, wohin es schaut — und wie man es absichtlich täuscht.",
        ),
    ),
}

# The words around the cards and links, by language (English is the key).
WORDS: dict[str, dict[str, str]] = {
    "ja": {
        "Lessons": "レッスン",
        "For teachers": "先生方へ",
        "← All lessons": "← レッスン一覧",
        "Next: {title} →": "次へ：{title} →",
        "This was the last lesson.": "これが最後のレッスンです。",
        "Our class — everyone's runs and digits": "わたしたちのクラス — みんなの学習結果と数字",
        "Teacher links — open a lesson as you want it": "先生用リンク — レッスンを思いどおりの状態で開く",
    },
    "de": {
        "Lessons": "Lektionen",
        "For teachers": "Für Lehrkräfte",
        "← All lessons": "← Alle Lektionen",
        "Next: {title} →": "Weiter: {title} →",
        "This was the last lesson.": "Das war die letzte Lektion.",
        "Our class — everyone's runs and digits": "Unsere Klasse — alle Trainingsläufe und Ziffern",
        "Teacher links — open a lesson as you want it": "Links für Lehrkräfte — eine Lektion so öffnen, wie du willst",
    },
}
